package io.chanalytics.crud.user;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(name = "Users")
@RestController
@RequestMapping("/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @Operation(summary = "List users, optionally in one region")
    @GetMapping
    Mono<PageResponse<User>> list(
            @RequestParam(required = false) @Size(min = 1, max = 32) String region,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(PageResponse.MAX_SIZE) int size) {
        return users.list(region, page, size);
    }

    @Operation(summary = "Register a user (emits USER_REGISTERED)")
    @PostMapping
    Mono<ResponseEntity<User>> create(@Valid @RequestBody CreateUserRequest request, Caller caller) {
        return users.register(request, caller)
                .map(user -> ResponseEntity.created(URI.create("/users/" + user.id()))
                        .body(user));
    }

    @Operation(summary = "The signed-in caller's own profile, from their token (any signed-in caller)")
    @GetMapping("/me")
    Mono<Profile> me(@AuthenticationPrincipal Jwt token) {
        if (token == null) {
            // Only with sign-in off, where every route is open and no token is read.
            throw ApiProblem.notFound(HttpHeaders.AUTHORIZATION, "Sign-in is off: there is no signed-in caller");
        }
        return Mono.just(Profile.of(token));
    }

    @Operation(summary = "Get one user")
    @GetMapping("/{id}")
    Mono<User> get(@PathVariable @Positive long id) {
        return users.find(id);
    }
}
