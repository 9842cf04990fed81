package io.chanalytics.crud.system;

import io.chanalytics.api.caller.Caller;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI crudApiDocumentation() {
        return new OpenAPI()
                .info(new Info()
                        .title("CRUD API")
                        .version("0.1.0")
                        .description("Users and products of the ClickHouse Analytics reference stack. Errors are"
                                + " RFC 9457 problem details whose errors list names the offending field."));
    }

    /**
     * The caller headers are read from the exchange, not declared per method: list them on every operation so the
     * UI at /docs can send them (the cart and orders need one of the first two).
     */
    @Bean
    OperationCustomizer callerHeaders() {
        return (operation, handlerMethod) -> operation
                .addParametersItem(header(Caller.USER_ID, "The user calling; owner of carts and orders"))
                .addParametersItem(header(Caller.SESSION_ID, "The session, owner of an anonymous cart"))
                .addParametersItem(header(Caller.REGION, "The caller's region, recorded in analytics"));
    }

    private static HeaderParameter header(String name, String description) {
        return (HeaderParameter) new HeaderParameter()
                .name(name)
                .description(description)
                .required(false)
                .schema(new StringSchema().maxLength(64));
    }
}
