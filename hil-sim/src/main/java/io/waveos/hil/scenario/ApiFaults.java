package io.waveos.hil.scenario;

import io.waveos.hil.scenario.YamlTree.Item;
import java.util.List;
import java.util.Map;

/**
 * The loader's rules for faults that reach the agent's local API: a push's {@code via}, a repeated push,
 * and that both they and {@code api-abuse} need {@code device.api}.
 */
final class ApiFaults {
    private ApiFaults() {
    }

    /** How a push reaches the agent. */
    private enum Via { INBOX, API }

    /** {@code via: inbox | api} (default inbox), on a push only; a {@code repeat} goes through the API. */
    static boolean via(Fields f, Map<String, Item> m, String path, FaultKind kind, String bundle) {
        Item via = m.get("via");
        if (via == null) {
            if (bundle.equals("repeat")) {
                f.problem(m.get("bundle").line(), path + ".bundle", "'repeat' pushes the previous API push again: "
                        + "it needs 'via: api'");
            }
            return false;
        }
        if (kind != FaultKind.PUSH_BUNDLE) {
            f.problem(via.line(), path + ".via", "only a push-bundle takes 'via'");
            return false;
        }
        boolean api = f.choice(via, path + ".via", List.of("inbox", "api"), List.of(Via.INBOX, Via.API))
                .map(v -> v == Via.API).orElse(false);
        if (!api && bundle.equals("repeat")) {
            f.problem(m.get("bundle").line(), path + ".bundle", "'repeat' pushes the previous API push again: "
                    + "it needs 'via: api'");
        }
        return api;
    }

    /**
     * Every fault through the API needs {@code device.api}; a {@code repeat} needs an API push of a
     * bundle before it.
     */
    static void check(Fields f, List<Fault> faults, boolean api) {
        for (Fault x : faults) {
            boolean usesApi = x.viaApi() || x.kind() == FaultKind.API_ABUSE;
            if (usesApi && !api) {
                f.problem(x.line(), "faults", x.kind().wire() + (x.viaApi() ? " via: api" : "")
                        + " needs the agent's API (device.api, e.g. 'api: {}')");
            }
            if (x.viaApi() && x.argument().equals("repeat") && faults.stream().noneMatch(y -> y.viaApi()
                    && !y.argument().equals("repeat") && y.at().compareTo(x.at()) < 0)) {
                f.problem(x.line(), "faults", "'bundle: repeat' needs a push of a bundle via: api before it");
            }
        }
    }
}
