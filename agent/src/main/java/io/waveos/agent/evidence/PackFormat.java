package io.waveos.agent.evidence;

/** Names fixed by the evidence pack format (docs/evidence.md). */
public final class PackFormat {
    private PackFormat() {
    }

    /** The first member: a DSSE envelope over {@value #MANIFEST_TYPE} JSON. */
    public static final String ENVELOPE = "pack.dsse.json";
    public static final String MANIFEST_TYPE = "application/vnd.waveos.evidence-pack+json";
    public static final String FORMAT = "waveos-evidence-pack/1";
    public static final String RUN_META = "run_meta.json";
    public static final String EVENTS = "events.jsonl";
    public static final String DECISIONS = "decisions.jsonl";
    public static final String METRICS = "metrics.csv";
    /** Pack files are named {@code evpack-<pack-id>-<kind>.tar}. */
    public static final String FILE_PREFIX = "evpack-";
    public static final String FILE_SUFFIX = ".tar";
    /** Event codes of the decision trace start with this. */
    public static final String DECISION_CODE_PREFIX = "policy.";
}
