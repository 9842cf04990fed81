package io.chanalytics.stack.verify;

import io.chanalytics.stack.verify.StackHttp.Answer;
import io.chanalytics.stack.verify.StackVerifier.Outcome;
import java.util.Map;

/**
 * Does sign-in hold: Keycloak serves the realm under the issuer the APIs expect, a protected route refuses an
 * anonymous call with a 401 problem, and accepts the same call with a customer's token.
 */
record SignInChecks(StackHttp http, CheckList checks) {

    void run() {
        StackVerifier.SignIn signIn = http.target().signIn();
        if (!signIn.enabled()) {
            checks.add("sign-in", Outcome.NOT_CHECKED, "sign-in is off (SIGN_IN=false): every route is open");
            return;
        }
        Answer discovery = http.get(
                signIn.base().resolve(signIn.issuer().getPath() + "/.well-known/openid-configuration"), Map.of());
        String issuer =
                discovery.ok() ? StackHttp.json(discovery.body()).path("issuer").asText() : "";
        boolean realm = checks.add(
                "keycloak realm",
                issuer.equals(signIn.issuer().toString()),
                discovery.ok() ? "issuer " + issuer : discovery.describe());
        if (!realm) {
            return;
        }
        var cart = http.target().ecommerceApi().resolve("/cart");
        Answer anonymous = http.get(cart, Map.of());
        Answer signedIn;
        try {
            signedIn = http.get(cart, Map.of("Authorization", "Bearer " + http.token(StackHttp.CUSTOMER)));
        } catch (IllegalStateException refused) {
            checks.add("sign-in", false, "no token for " + StackHttp.CUSTOMER + ": " + refused.getMessage());
            return;
        }
        checks.add(
                "sign-in",
                anonymous.status() == 401 && signedIn.ok(),
                String.format(
                        "GET /cart without a token: %s; with %s's token: %s",
                        anonymous.describe(), StackHttp.CUSTOMER, signedIn.describe()));
    }
}
