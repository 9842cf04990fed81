package io.chanalytics.metrics.registry;

/** A failed registry call, with the HTTP status and Confluent error code (both 0 when the registry was unreachable). */
public class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(httpStatus == 0 ? message : message + " (HTTP " + httpStatus + ", error code " + errorCode + ")");
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /**
     * The registry refused the schema as incompatible with the subject's earlier versions. Told by the HTTP status:
     * Confluent's error code for it changed from 409 to 40901 in 8.0.4.
     */
    public boolean isIncompatible() {
        return httpStatus == 409;
    }
}
