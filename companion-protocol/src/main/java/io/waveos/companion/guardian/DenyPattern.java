package io.waveos.companion.guardian;

import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A known-bad trigger: a command kind (or any kind) whose parameter matches a regular expression. The
 * whole parameter value must match ({@link java.util.regex.Matcher#matches}); a request without the
 * parameter does not match.
 *
 * @param name short name, used in the rule name {@code deny-pattern:NAME}
 * @param kind the command kind it applies to; empty for every kind
 * @param parameter the parameter name, e.g. {@code bundle}
 * @param regex the expression the parameter's whole value must match
 * @param why the human reason given in the decision, e.g. "2.3.1 bricks rev-B boards"
 */
public record DenyPattern(String name, Optional<CommandKind> kind, String parameter, Pattern regex, String why) {

    public DenyPattern {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("deny pattern name must be [A-Za-z0-9_.-]+, was " + name);
        }
        if (kind == null || kind.filter(k -> k == CommandKind.COMMAND_KIND_UNSPECIFIED
                || k == CommandKind.UNRECOGNIZED).isPresent()) {
            throw new IllegalArgumentException("deny pattern " + name + ": kind must be a command kind or any");
        }
        if (parameter == null || parameter.isEmpty()) {
            throw new IllegalArgumentException("deny pattern " + name + ": parameter is required");
        }
        if (regex == null) {
            throw new IllegalArgumentException("deny pattern " + name + ": regex is required");
        }
        why = why == null ? "" : why;
    }

    /** The rule name in decisions and logs. */
    public String ruleName() {
        return "deny-pattern:" + name;
    }

    /** True when {@code request} is of this pattern's kind and its parameter matches. */
    public boolean matches(CommandRequest request) {
        if (kind.isPresent() && kind.get() != request.getKind()) {
            return false;
        }
        String value = request.getParametersMap().get(parameter);
        return value != null && regex.matcher(value).matches();
    }
}
