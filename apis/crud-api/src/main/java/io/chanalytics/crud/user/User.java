package io.chanalytics.crud.user;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table(schema = "crud", name = "users")
public record User(@Id Long id, String name, String email, String region, Instant createdAt) {}
