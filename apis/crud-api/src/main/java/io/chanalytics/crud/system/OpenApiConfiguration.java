package io.chanalytics.crud.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
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
}
