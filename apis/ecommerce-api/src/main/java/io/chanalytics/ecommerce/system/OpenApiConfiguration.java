package io.chanalytics.ecommerce.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI ecommerceApiDocumentation() {
        return new OpenAPI()
                .info(new Info()
                        .title("E-commerce API")
                        .version("0.1.0")
                        .description("Carts, checkout and orders of the ClickHouse Analytics reference stack. The"
                                + " caller is the subject of their Keycloak access token (Authorize; with sign-in off,"
                                + " X-User-Id, or X-Session-Id when anonymous). Errors are"
                                + " RFC 9457 problem details whose errors list names the offending field."));
    }
}
