package io.chanalytics.crud.user;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.api.problem.ApiProblem;
import java.time.Instant;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

@Service
class UserService {

    private final UserRepository users;
    private final UserEvents events;

    UserService(UserRepository users, UserEvents events) {
        this.users = users;
        this.events = events;
    }

    Mono<User> register(CreateUserRequest request, Caller caller) {
        String email = request.email().strip().toLowerCase(Locale.ROOT);
        User user =
                new User(null, request.name().strip(), email, request.region().strip(), Instant.now());
        return users.save(user)
                .onErrorMap(
                        DataIntegrityViolationException.class,
                        e -> ApiProblem.conflict("email", "A user with email " + email + " already exists"))
                .doOnNext(created -> events.registered(created, caller));
    }

    Mono<User> find(long id) {
        return users.findById(id).switchIfEmpty(Mono.error(() -> ApiProblem.notFound("id", "No user with id " + id)));
    }

    Mono<PageResponse<User>> list(String region, int page, int size) {
        return users.findPage(region, page, size);
    }
}
