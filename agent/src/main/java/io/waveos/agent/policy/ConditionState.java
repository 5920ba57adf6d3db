package io.waveos.agent.policy;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.Sample;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The running evaluation of one {@link Condition}: fed samples and events in monotonic time, asked
 * whether it holds at a moment. Samples and events must come in non-decreasing time. Memory is
 * bounded: a count keeps at most {@code at_least} times, a rate the samples of its window.
 */
abstract sealed class ConditionState {

    static ConditionState of(Condition c) {
        if (c instanceof Condition.Threshold t) {
            return new Threshold(t);
        } else if (c instanceof Condition.Rate r) {
            return new Rate(r);
        } else if (c instanceof Condition.Count n) {
            return new Count(n);
        } else if (c instanceof Condition.All a) {
            return new Combined(a.of().stream().map(ConditionState::of).toList(), Combined.Kind.ALL);
        } else if (c instanceof Condition.Any a) {
            return new Combined(a.of().stream().map(ConditionState::of).toList(), Combined.Kind.ANY);
        }
        return new Combined(List.of(of(((Condition.Not) c).of())), Combined.Kind.NOT);
    }

    abstract void sample(Sample s);

    abstract void event(Event e, long nowNanos);

    /** True when the condition holds at {@code nowNanos} (not before the last input). */
    abstract boolean holds(long nowNanos);

    /** What the condition saw, for a decision's {@code inputs}. */
    abstract void explain(long nowNanos, StringBuilder out);

    /** How many leaf conditions this evaluates (thresholds, rates, counts). */
    abstract int leaves();

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String duration(long nanos) {
        long ms = nanos / 1_000_000;
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    /** A metric past a level, continuously for a while, with optional hysteresis. */
    static final class Threshold extends ConditionState {
        private final Condition.Threshold c;
        private final long forNanos;
        private double last = Double.NaN;
        private boolean active;
        private long since = -1;

        Threshold(Condition.Threshold c) {
            this.c = c;
            this.forNanos = c.holdFor().toNanos();
        }

        @Override
        void sample(Sample s) {
            Double v = s.values().get(c.metric());
            if (v == null) {
                last = Double.NaN;
                active = false;
                since = -1;
                return;
            }
            last = v;
            boolean past = c.side() == Condition.Side.ABOVE ? v > c.level() : v < c.level();
            if (active && c.clear().isPresent()) {
                double clear = c.clear().get();
                active = c.side() == Condition.Side.ABOVE ? v >= clear : v <= clear;
            } else {
                active = past;
            }
            if (!active) {
                since = -1;
            } else if (since < 0) {
                since = s.monoNanos();
            }
        }

        @Override
        void event(Event e, long nowNanos) {
        }

        @Override
        boolean holds(long nowNanos) {
            return since >= 0 && nowNanos - since >= forNanos;
        }

        @Override
        void explain(long nowNanos, StringBuilder out) {
            out.append(c.metric().wire()).append('=').append(Double.isNaN(last) ? "absent" : number(last)).append(" (")
                    .append(c.side().name().toLowerCase(Locale.ROOT)).append(' ').append(number(c.level()));
            c.clear().ifPresent(cl -> out.append(", clear ").append(number(cl)));
            if (forNanos > 0) {
                out.append(" for ").append(duration(forNanos)).append(", past it for ")
                        .append(since < 0 ? "0s" : duration(nowNanos - since));
            }
            out.append(')');
        }

        @Override
        int leaves() {
            return 1;
        }
    }

    /** The increase of a counter per unit of time over a window of samples. */
    static final class Rate extends ConditionState {
        private final Condition.Rate c;
        private final long windowNanos;
        private final ArrayDeque<long[]> points = new ArrayDeque<>();
        private double previous = Double.NaN;
        private double total;
        private double rate = Double.NaN;

        Rate(Condition.Rate c) {
            this.c = c;
            this.windowNanos = c.window().toNanos();
        }

        @Override
        void sample(Sample s) {
            Double v = s.values().get(c.metric());
            if (v == null) {
                return;
            }
            // A counter that went down restarted from zero: its whole value is new increase.
            total += Double.isNaN(previous) ? 0 : (v >= previous ? v - previous : v);
            previous = v;
            long now = s.monoNanos();
            if (!points.isEmpty() && points.peekLast()[0] > now) {
                points.clear(); // time went backwards (a contract violation): start over, stay bounded
            }
            points.addLast(new long[] {now, Double.doubleToRawLongBits(total)});
            while (points.size() > 2 && points.peekFirst()[0] < now - windowNanos) {
                points.removeFirst();
            }
            long[] first = points.peekFirst();
            long span = now - first[0];
            rate = span <= 0 ? Double.NaN
                    : (total - Double.longBitsToDouble(first[1])) * c.per().toNanos() / span;
        }

        @Override
        void event(Event e, long nowNanos) {
        }

        @Override
        boolean holds(long nowNanos) {
            return !Double.isNaN(rate) && (c.side() == Condition.Side.ABOVE ? rate > c.level() : rate < c.level());
        }

        @Override
        void explain(long nowNanos, StringBuilder out) {
            out.append("rate of ").append(c.metric().wire()).append('=')
                    .append(Double.isNaN(rate) ? "unknown" : number(rate)).append(" per ")
                    .append(duration(c.per().toNanos())).append(" over ").append(duration(windowNanos)).append(" (")
                    .append(c.side().name().toLowerCase(Locale.ROOT)).append(' ').append(number(c.level())).append(')');
        }

        @Override
        int leaves() {
            return 1;
        }
    }

    /** Events of one code (and subject) within a window. */
    static final class Count extends ConditionState {
        private final Condition.Count c;
        private final EventCode code;
        private final long withinNanos;
        private final ArrayDeque<Long> times = new ArrayDeque<>();

        Count(Condition.Count c) {
            this.c = c;
            this.code = Arrays.stream(EventCode.values()).filter(x -> x.wire().equals(c.code())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown event code " + c.code()));
            this.withinNanos = c.within().toNanos();
        }

        @Override
        void sample(Sample s) {
        }

        @Override
        void event(Event e, long nowNanos) {
            if (e.code() != code || c.subject().isPresent() && !c.subject().get().equals(e.subject())) {
                return;
            }
            times.addLast(nowNanos);
            if (times.size() > c.atLeast()) {
                times.removeFirst();
            }
        }

        private int count(long nowNanos) {
            while (!times.isEmpty() && times.peekFirst() <= nowNanos - withinNanos) {
                times.removeFirst();
            }
            return times.size();
        }

        @Override
        boolean holds(long nowNanos) {
            return count(nowNanos) >= c.atLeast();
        }

        @Override
        void explain(long nowNanos, StringBuilder out) {
            int n = count(nowNanos);
            out.append(c.code()).append(c.subject().map(s -> " of " + s).orElse("")).append(": ")
                    .append(n >= c.atLeast() ? "at least " + n : Integer.toString(n)).append(" within ")
                    .append(duration(withinNanos)).append(" (at least ").append(c.atLeast()).append(')');
        }

        @Override
        int leaves() {
            return 1;
        }
    }

    /** all, any, not. */
    static final class Combined extends ConditionState {
        enum Kind { ALL, ANY, NOT }

        private final ConditionState[] parts;
        private final Kind kind;

        Combined(List<ConditionState> parts, Kind kind) {
            this.parts = parts.toArray(new ConditionState[0]);
            this.kind = kind;
        }

        @Override
        void sample(Sample s) {
            for (ConditionState p : parts) {
                p.sample(s);
            }
        }

        @Override
        void event(Event e, long nowNanos) {
            for (ConditionState p : parts) {
                p.event(e, nowNanos);
            }
        }

        @Override
        boolean holds(long nowNanos) {
            switch (kind) {
                case ALL -> {
                    for (ConditionState p : parts) {
                        if (!p.holds(nowNanos)) {
                            return false;
                        }
                    }
                    return true;
                }
                case ANY -> {
                    for (ConditionState p : parts) {
                        if (p.holds(nowNanos)) {
                            return true;
                        }
                    }
                    return false;
                }
                case NOT -> {
                    return !parts[0].holds(nowNanos);
                }
            }
            throw new AssertionError(kind);
        }

        @Override
        void explain(long nowNanos, StringBuilder out) {
            out.append(kind.name().toLowerCase(Locale.ROOT)).append('(');
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    out.append("; ");
                }
                parts[i].explain(nowNanos, out);
            }
            out.append(')');
        }

        @Override
        int leaves() {
            int n = 0;
            for (ConditionState p : parts) {
                n += p.leaves();
            }
            return n;
        }
    }
}
