package io.waveos.hil.runner;

import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioException;
import io.waveos.hil.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios shipped in the simulator's jar ({@code /scenarios/index.txt} lists them in order) and
 * scenario files named by path.
 */
public final class ScenarioLibrary {
    private final ScenarioLoader loader = new ScenarioLoader();

    /** The names of the shipped scenarios, in library order. */
    public List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.trim());
            }
        }
        return out;
    }

    public List<Scenario> all() throws IOException, ScenarioException {
        List<Scenario> out = new ArrayList<>();
        for (String n : names()) {
            out.add(load(n));
        }
        return out;
    }

    /** A shipped scenario by name, or a file when {@code nameOrPath} ends in .yaml/.yml. */
    public Scenario load(String nameOrPath) throws IOException, ScenarioException {
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml")) {
            Path p = Path.of(nameOrPath);
            return loader.parse(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
        if (!names().contains(nameOrPath)) {
            throw new IOException("no scenario named '" + nameOrPath + "'; see 'waveos hil list'");
        }
        return loader.parse("scenarios/" + nameOrPath + ".yaml", resource(nameOrPath + ".yaml"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ScenarioLibrary.class.getResourceAsStream("/scenarios/" + name)) {
            if (in == null) {
                throw new IOException("missing resource /scenarios/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
