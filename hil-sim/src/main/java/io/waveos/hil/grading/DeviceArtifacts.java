package io.waveos.hil.grading;

import io.waveos.agent.evidence.PackVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent's telemetry artifacts under its logs folder: every run's {@code metrics.csv} rows (rotated
 * files first, oldest first) and every evidence pack in {@code logs/evidence}, each checked by the
 * agent's own {@link PackVerifier} against the key named inside it. Rows are read as
 * {@code docs/telemetry.md} tells readers to: a last line without a newline and any line that is not six
 * fields with a parseable value are skipped.
 */
public record DeviceArtifacts(List<Row> metrics, List<Pack> packs) {
    public DeviceArtifacts {
        metrics = List.copyOf(metrics);
        packs = List.copyOf(packs);
    }

    /** One value of one sample: its wall time, the series {@code scope:subject:metric}, the value. */
    public record Row(int run, Instant time, String series, double value) {
    }

    /**
     * One pack file: its name, the incident kind and subject the verifier read from its signed manifest
     * (or, refused, the kind its file name claims), and what the verifier said.
     */
    public record Pack(String file, String kind, String subject, boolean verified, String verdict) {
    }

    /** The rows of {@code series}, in file order. */
    public List<Row> series(String series) {
        return metrics.stream().filter(r -> r.series().equals(series)).toList();
    }

    /** Reads {@code logs}, wall stamps put on the bench's line by {@code onBench}; missing folders and files are empty. */
    public static DeviceArtifacts read(Path logs, java.util.function.UnaryOperator<Instant> onBench) throws IOException {
        List<Row> rows = new ArrayList<>();
        Path runs = logs.resolve("runs");
        if (Files.isDirectory(runs)) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(runs)) {
                dirs = s.filter(p -> !p.getFileName().toString().equals("current") && Files.isDirectory(p))
                        .sorted(Comparator.comparingLong(AgentRecords::counter)).toList();
            }
            for (int i = 0; i < dirs.size(); i++) {
                for (Path csv : metricsFiles(dirs.get(i))) {
                    parse(i + 1, Files.readAllBytes(csv), rows, onBench);
                }
            }
        }
        List<Pack> packs = new ArrayList<>();
        Path evidence = logs.resolve("evidence");
        if (Files.isDirectory(evidence)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(evidence)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".tar")).sorted().toList();
            }
            for (Path p : files) {
                packs.add(verify(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        return new DeviceArtifacts(rows, packs);
    }

    static Pack verify(String file, byte[] bytes) {
        PackVerifier.Result r = PackVerifier.verify(bytes, Optional.empty());
        if (r instanceof PackVerifier.Verified v) {
            return new Pack(file, v.kind(), v.subject(), true, "OK, " + v.members() + " members, " + v.events()
                    + " events, key " + v.keyid().substring(0, Math.min(12, v.keyid().length())));
        }
        PackVerifier.Refused refused = (PackVerifier.Refused) r;
        String claimed = file.replaceAll("\\.tar$", "").replaceAll(".*-", "");
        return new Pack(file, claimed, "", false, "REFUSED: member " + refused.member() + ": " + refused.why());
    }

    /** {@code metrics.csv.K}, ..., {@code metrics.csv.1}, {@code metrics.csv}: oldest first. */
    private static List<Path> metricsFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("metrics\\.csv\\.\\d+"))
                    .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString()
                            .substring("metrics.csv.".length()))).reversed())
                    .forEach(out::add);
        }
        Path current = dir.resolve("metrics.csv");
        if (Files.exists(current)) {
            out.add(current);
        }
        return out;
    }

    static void parse(int run, byte[] bytes, List<Row> out, java.util.function.UnaryOperator<Instant> onBench) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return;
        }
        for (String line : text.substring(0, end).split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length != 6 || f[0].equals("time")) {
                continue;
            }
            try {
                out.add(new Row(run, onBench.apply(Instant.parse(f[0])), f[2] + ":" + f[3] + ":" + f[4], Double.parseDouble(f[5])));
            } catch (DateTimeParseException | NumberFormatException e) {
                // a fragment of an interrupted write: docs/telemetry.md tells readers to skip it
                continue;
            }
        }
    }
}
