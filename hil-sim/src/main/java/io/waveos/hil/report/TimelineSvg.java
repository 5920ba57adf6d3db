package io.waveos.hil.report;

import io.waveos.hil.grading.AgentRecords;
import io.waveos.hil.grading.DeviceArtifacts;
import io.waveos.hil.grading.Timeline;
import io.waveos.hil.rig.RunRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scenario's timeline as inline SVG: the agent's runs, its mode (NORMAL green, DEGRADED amber,
 * SAFE red), each service's up spans with its exits, Guardian and update decisions as marks, and the
 * injected faults as dashed lines; below them one series of the agent's {@code metrics.csv} (its
 * samples of every run, as a line per run).
 */
final class TimelineSvg {
    private static final int LEFT = 150;
    private static final int WIDTH = 900;
    private static final int ROW = 22;
    private static final Set<String> MARKS = Set.of("service.exited", "service.intensity_exceeded", "reboot.intent",
            "companion.safe_mode_order", "companion.approval_decided", "companion.reset_witness", "companion.link",
            "update.committed", "update.rolled_back", "update.rejected", "service.orphan_found", "policy.decision",
            "evidence.pack_written");
    private static final int PLOT = 3 * ROW;

    private TimelineSvg() {
    }

    static String render(Timeline t, AgentRecords records, RunRecord run, String series,
            List<DeviceArtifacts.Row> samples) {
        List<String> services = List.copyOf(t.services().keySet());
        int rows = 3 + services.size() + (samples.isEmpty() ? 0 : PLOT / ROW);
        int top = 34;
        int height = top + rows * ROW + 30;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(LEFT + WIDTH + 20).append("' height='")
                .append(height).append("' font-family='sans-serif' font-size='11'>")
                .append("<rect width='100%' height='100%' fill='#fff'/>");
        double scale = t.length().isZero() ? 1 : WIDTH / (double) t.length().toMillis();
        // axis
        long step = niceStep(t.length());
        for (long ms = 0; ms <= t.length().toMillis(); ms += step) {
            double x = LEFT + ms * scale;
            b.append(line(x, top - 4, x, height - 25, "#eee", false));
            b.append(text(x - 8, height - 10, ms / 1000 + " s", "#666"));
        }
        int y = top;
        b.append(text(4, y + 14, "agent runs", "#000"));
        for (Timeline.Span s : t.agent()) {
            b.append(rect(LEFT + ms(s.from()) * scale, y + 3, ms(s.length()) * scale, ROW - 8, "#8aa4c8", s.label()));
            b.append(text(LEFT + ms(s.from()) * scale + 3, y + 14, s.label(), "#fff"));
        }
        y += ROW;
        b.append(text(4, y + 14, "mode", "#000"));
        for (Timeline.Span s : t.modes()) {
            String color = switch (s.label()) {
                case "SAFE" -> "#d9534f";
                case "DEGRADED" -> "#f0ad4e";
                default -> "#5cb85c";
            };
            b.append(rect(LEFT + ms(s.from()) * scale, y + 3, ms(s.length()) * scale, ROW - 8, color, s.label()));
        }
        y += ROW;
        Map<String, Integer> rowOf = new java.util.HashMap<>();
        for (String svc : services) {
            rowOf.put(svc, y);
            b.append(text(4, y + 14, svc, "#000"));
            for (Timeline.Span s : t.services().get(svc)) {
                b.append(rect(LEFT + ms(s.from()) * scale, y + 5, ms(s.length()) * scale, ROW - 12, "#9fd39f", "up"));
            }
            y += ROW;
        }
        b.append(text(4, y + 14, "decisions", "#000"));
        for (AgentRecords.Ev e : records.events()) {
            if (!MARKS.contains(e.code())) {
                continue;
            }
            Duration at = Duration.between(run.origin(), e.time());
            if (at.compareTo(t.length()) >= 0) {
                continue; // the rig's graceful stop at the end is not part of the scenario
            }
            double x = LEFT + at.toMillis() * scale;
            int my = rowOf.getOrDefault(e.subject(), y);
            String color = e.code().startsWith("companion") ? "#6f42c1" : e.code().startsWith("update") ? "#0275d8"
                    : e.code().startsWith("policy") ? "#e67e22" : e.code().startsWith("evidence") ? "#17a2b8"
                    : "#c9302c";
            b.append("<circle cx='").append(fmt(x)).append("' cy='").append(my + ROW / 2).append("' r='3.5' fill='")
                    .append(color).append("'><title>").append(Html.escape(secs(Duration.between(run.origin(), e.time()))
                    + " " + e.code() + " " + e.subject() + ": " + e.reason())).append("</title></circle>");
        }
        if (!samples.isEmpty()) {
            plot(b, series, samples, run, t.length(), scale, y + ROW);
        }
        int n = 0;
        for (RunRecord.Injected f : run.injected()) {
            double x = LEFT + f.at().toMillis() * scale;
            int labelY = n++ % 2 == 0 ? 12 : 26;
            b.append(line(x, labelY + 2, x, height - 25, "#333", true));
            b.append(text(x + 2, labelY, f.label(), "#333"));
        }
        b.append("</svg>");
        return b.toString();
    }

    /** The series as one polyline per agent run, scaled from 0 to its maximum, with that maximum named. */
    private static void plot(StringBuilder b, String series, List<DeviceArtifacts.Row> samples, RunRecord run,
            Duration length, double scale, int y) {
        double max = samples.stream().mapToDouble(DeviceArtifacts.Row::value).max().orElse(1);
        double top = max <= 0 ? 1 : max;
        String[] parts = series.split(":", -1);
        b.append(text(4, y + 12, parts[1].isEmpty() ? parts[0] : parts[1], "#000"));
        b.append(text(4, y + 26, parts[2], "#555"));
        b.append(text(4, y + 40, "max " + human(max, parts[2]), "#555"));
        b.append(line(LEFT, y + PLOT - 4, LEFT + WIDTH, y + PLOT - 4, "#ccc", false));
        StringBuilder pts = new StringBuilder();
        int run0 = samples.get(0).run();
        for (DeviceArtifacts.Row r : samples) {
            Duration at = Duration.between(run.origin(), r.time());
            if (at.isNegative() || at.compareTo(length) > 0) {
                continue;
            }
            if (r.run() != run0 && pts.length() > 0) {
                b.append(polyline(pts));
                pts.setLength(0);
            }
            run0 = r.run();
            double x = LEFT + at.toMillis() * scale;
            double v = y + PLOT - 4 - (PLOT - 10) * r.value() / top;
            pts.append(fmt(x)).append(',').append(fmt(v)).append(' ');
        }
        if (pts.length() > 0) {
            b.append(polyline(pts));
        }
    }

    private static String polyline(StringBuilder pts) {
        return "<polyline fill='none' stroke='#e67e22' stroke-width='1.5' points='" + pts.toString().trim() + "'/>";
    }

    private static String human(double v, String metric) {
        if (metric.endsWith("_bytes")) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", v / (1 << 20));
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static long ms(Duration d) {
        return d.toMillis();
    }

    private static long niceStep(Duration length) {
        long ms = Math.max(1000, length.toMillis() / 10);
        for (long s : new long[] {1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 3_600_000}) {
            if (s >= ms) {
                return s;
            }
        }
        return 3_600_000;
    }

    private static String rect(double x, double y, double w, double h, String color, String title) {
        return "<rect x='" + fmt(x) + "' y='" + fmt(y) + "' width='" + fmt(Math.max(1, w)) + "' height='" + fmt(h)
                + "' fill='" + color + "'><title>" + Html.escape(title) + "</title></rect>";
    }

    private static String line(double x1, double y1, double x2, double y2, String color, boolean dashed) {
        return "<line x1='" + fmt(x1) + "' y1='" + fmt(y1) + "' x2='" + fmt(x2) + "' y2='" + fmt(y2) + "' stroke='"
                + color + "'" + (dashed ? " stroke-dasharray='4 3'" : "") + "/>";
    }

    private static String text(double x, double y, String s, String color) {
        return "<text x='" + fmt(x) + "' y='" + fmt(y) + "' fill='" + color + "'>" + Html.escape(s) + "</text>";
    }

    private static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    static String secs(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
