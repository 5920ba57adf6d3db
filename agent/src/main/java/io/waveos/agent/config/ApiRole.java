package io.waveos.agent.config;

/** What an API key may do; each role may do everything the roles before it may. */
public enum ApiRole {
    VIEWER, OPERATOR, ADMIN;

    /** True when this role may do what {@code needed} may. */
    public boolean covers(ApiRole needed) {
        return compareTo(needed) >= 0;
    }
}
