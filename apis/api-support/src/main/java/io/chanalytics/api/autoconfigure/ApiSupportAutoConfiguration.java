package io.chanalytics.api.autoconfigure;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.docs.CallerHeaderParameters;
import io.chanalytics.api.events.BusinessEventPublisher;
import io.chanalytics.api.lifecycle.ParentProcessWatch;
import io.chanalytics.api.problem.ProblemDetailsAdvice;
import io.chanalytics.api.problem.ProblemResponses;
import io.chanalytics.api.ratelimit.RateLimitFilter;
import io.chanalytics.api.ratelimit.RateLimitProperties;
import io.chanalytics.api.ratelimit.RateLimiter;
import io.chanalytics.api.security.SignInConfiguration;
import io.chanalytics.api.web.CallerArgumentConfiguration;
import io.chanalytics.api.web.RequestSizeLimits;
import io.chanalytics.api.web.TrustedProxyForwardedHeaders;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.web.RequestTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * What every service gets by depending on {@code api-support}, as {@code metrics-events} does for its telemetry: RFC
 * 9457 problems for every client mistake, {@code Caller} and {@code RequestTelemetry} as handler arguments, and the
 * caller headers listed on every operation of the OpenAPI document.
 */
@AutoConfiguration(afterName = "io.chanalytics.metrics.autoconfigure.EventsAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@Import({ProblemDetailsAdvice.class, CallerArgumentConfiguration.class, SignInConfiguration.class})
public class ApiSupportAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BusinessEventPublisher businessEventPublisher(
            ObjectProvider<EventPublisher> publisher, ObjectProvider<ServiceIdentity> identity) {
        return new BusinessEventPublisher(publisher.getIfAvailable(), identity.getIfAvailable());
    }

    @Bean
    ProblemResponses problemResponses(ServerCodecConfigurer codecs) {
        return new ProblemResponses(codecs);
    }

    @Bean
    RequestSizeLimits requestSizeLimits(ProblemResponses problems) {
        return new RequestSizeLimits(problems);
    }

    /** Rate limits per route group and caller ({@code chanalytics.rate-limit.*}); {@code enabled: false} turns them off. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RateLimitProperties.class)
    static class RateLimits {

        private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

        @Bean
        @ConditionalOnProperty(name = "chanalytics.rate-limit.enabled", matchIfMissing = true)
        RateLimitFilter rateLimitFilter(
                RateLimitProperties properties, ProblemResponses problems, ObjectProvider<MeterRegistry> meters) {
            properties
                    .groups()
                    .forEach(group -> log.info(
                            "Rate limit {}: {} {} {} per user, {} per address",
                            group.name(),
                            group.methods().isEmpty() ? "all methods" : group.methods(),
                            group.paths(),
                            quota(group.perUser()),
                            quota(group.perIp())));
            return new RateLimitFilter(
                    new RateLimiter(properties), problems, meters.getIfAvailable(SimpleMeterRegistry::new));
        }

        @Bean
        @ConditionalOnProperty(name = "chanalytics.rate-limit.enabled", havingValue = "false")
        Object rateLimitsOff() {
            log.warn("Rate limits are OFF (chanalytics.rate-limit.enabled=false): no caller is limited");
            return new Object();
        }

        private static String quota(RateLimitProperties.Quota quota) {
            return quota.requests() + "/" + quota.per().toSeconds() + "s";
        }
    }

    /**
     * Named as Spring WebFlux looks it up ({@code WebHttpHandlerBuilder}): applied to every request before any filter,
     * so the request metrics and everything else see the client's address only as a trusted proxy forwarded it.
     */
    @Bean
    TrustedProxyForwardedHeaders forwardedHeaderTransformer(
            @Value("${chanalytics.web.trusted-proxies:}") List<String> trustedProxies) {
        return new TrustedProxyForwardedHeaders(trustedProxies);
    }

    /**
     * Set by the embedded stack ({@code CHANALYTICS_PARENT_PID}): the service closes gracefully, then exits, once the
     * stack is gone, however it ended.
     */
    @Bean
    @ConditionalOnProperty("chanalytics.parent-pid")
    ParentProcessWatch parentProcessWatch(
            @Value("${chanalytics.parent-pid}") long pid, ConfigurableApplicationContext context) {
        return ParentProcessWatch.start(pid, () -> System.exit(SpringApplication.exit(context)));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OperationCustomizer.class)
    static class OpenApiCallerHeaders {

        @Bean
        OperationCustomizer callerHeaders() {
            // Handler arguments resolved from headers, not request parameters: documented as the headers instead.
            SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, RequestTelemetry.class);
            return CallerHeaderParameters.onEveryOperation();
        }
    }
}
