package io.chanalytics.api.docs;

import io.chanalytics.api.caller.Caller;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OperationCustomizer;

/**
 * The caller headers reach handlers as a resolved {@code Caller}, not as declared parameters: this lists them on every
 * operation so the UI at /docs can send them (carts and orders need one of the first two).
 */
public final class CallerHeaderParameters {

    private CallerHeaderParameters() {}

    public static OperationCustomizer onEveryOperation() {
        return (operation, handlerMethod) -> operation
                .addParametersItem(header(
                        Caller.USER_ID,
                        "The user calling, with sign-in off only (otherwise ignored: the token's subject is)"))
                .addParametersItem(header(Caller.SESSION_ID, "The session, owner of an anonymous cart"))
                .addParametersItem(header(Caller.REGION, "The caller's region, recorded in analytics"));
    }

    private static HeaderParameter header(String name, String description) {
        return (HeaderParameter) new HeaderParameter()
                .name(name)
                .description(description)
                .required(false)
                .schema(new StringSchema().maxLength(Caller.MAX_LENGTH));
    }
}
