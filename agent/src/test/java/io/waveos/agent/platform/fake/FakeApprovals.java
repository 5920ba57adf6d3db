package io.waveos.agent.platform.fake;

import io.waveos.agent.companion.Approvals;
import io.waveos.agent.config.CompanionConfig.Approval;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A Guardian stand-in: answers each kind of request as the test set (approve by default), or holds it. */
public final class FakeApprovals implements Approvals {
    private final Map<Approval, Boolean> answers = new EnumMap<>(Approval.class);
    private final List<String> asked = new ArrayList<>();
    private final List<Consumer<Decision>> held = new ArrayList<>();
    private boolean hold;

    public void answer(Approval action, boolean approve) {
        answers.put(action, approve);
    }

    /** Keep requests unanswered until {@link #release}. */
    public void hold() {
        hold = true;
    }

    public void release(boolean approve) {
        hold = false;
        List<Consumer<Decision>> pending = new ArrayList<>(held);
        held.clear();
        pending.forEach(c -> c.accept(new Decision(approve, approve ? "released: approved" : "released: denied")));
    }

    /** Requests as {@code ACTION: reason}, in order. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public void ask(Approval action, String reason, Consumer<Decision> onDecision) {
        asked.add(action + ": " + reason);
        if (hold) {
            held.add(onDecision);
            return;
        }
        boolean ok = answers.getOrDefault(action, true);
        onDecision.accept(new Decision(ok, ok ? "guardian approved" : "guardian denied by rule test-rule"));
    }

    @Override
    public boolean gatesSafeExit() {
        return true;
    }
}
