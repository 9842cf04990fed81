package io.chanalytics.crud.user;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/** Spring Data's CRUD operations, plus the region-filtered page query of {@link UserSearch}. */
interface UserRepository extends ReactiveCrudRepository<User, Long>, UserSearch {}
