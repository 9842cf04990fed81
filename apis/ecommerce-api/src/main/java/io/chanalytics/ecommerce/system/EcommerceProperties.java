package io.chanalytics.ecommerce.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param currency ISO 4217 code of every price and order total */
@ConfigurationProperties("ecommerce")
public record EcommerceProperties(@DefaultValue("USD") String currency) {}
