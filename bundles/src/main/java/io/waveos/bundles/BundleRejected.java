package io.waveos.bundles;

import java.util.Objects;

/**
 * A bundle, trust root or install step refused for a documented reason. The message reads
 * {@code <code>: <member>: <rule>} so that an operator sees what was wrong and where.
 */
public final class BundleRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient BundleError error;
    private final String member;
    private final String rule;

    /**
     * @param member the archive member, manifest field or file the rule is about (for example
     *     {@code payload/bin/app}, {@code manifest.version}); never blank
     * @param rule what was expected, in words
     */
    public BundleRejected(BundleError error, String member, String rule) {
        super(Objects.requireNonNull(error, "error").code() + ": " + member + ": " + rule);
        this.error = error;
        this.member = Objects.requireNonNull(member, "member");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    public BundleRejected(BundleError error, String member, String rule, Throwable cause) {
        this(error, member, rule);
        initCause(cause);
    }

    public BundleError error() {
        return error;
    }

    public String member() {
        return member;
    }

    public String rule() {
        return rule;
    }
}
