package io.chanalytics.crud;

import io.chanalytics.api.testing.ApiIntegrationTest;

/**
 * The one application context every CRUD integration test shares: the real service on a random port against a
 * real PostgreSQL, a real Kafka broker and the in-process schema registry (all set up by {@link ApiIntegrationTest}).
 * Subclasses add nothing to the context, so Spring starts it once per test run; tests isolate their data with unique
 * names instead of cleaning up.
 */
public abstract class CrudIntegrationTest extends ApiIntegrationTest {}
