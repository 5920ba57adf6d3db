package io.waveos.hil.rig;

import io.waveos.agent.update.tool.BundleTool;
import io.waveos.agent.update.tool.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

/**
 * Signed bundles for a device's inbox, made with the operator's own tool ({@code waveos bundle}) and
 * a test key generated per run: a trust root of one key (threshold 1), and app bundles of component
 * {@code app} whose one service, {@code app}, is a fake service. Kinds:
 * {@code good} (a healthy service), {@code failing-trial} (the service crashes 400 ms after every start,
 * so the trial fails with too-many-restarts), {@code tampered} (a payload byte changed after
 * signing: hash-mismatch), {@code partial} (a good bundle cut inside its payload, as an interrupted
 * transfer).
 * Each push gets the next version, starting at 2.
 */
final class UpdateBundles {
    static final String DEVICE_CLASS_NOTE = "the scenario's device.updates.device_class";
    private final Path dir;
    private final String deviceClass;
    private final List<String> fakeService;
    private final Path controlFolder;
    private int version = 1;

    private UpdateBundles(Path dir, String deviceClass, List<String> fakeService, Path controlFolder) {
        this.dir = dir;
        this.deviceClass = deviceClass;
        this.fakeService = List.copyOf(fakeService);
        this.controlFolder = controlFolder;
    }

    /** Generates the key and the signed trust root under {@code dir}. */
    static UpdateBundles create(Path dir, String deviceClass, List<String> fakeService, Path controlFolder)
            throws IOException {
        Files.createDirectories(dir);
        UpdateBundles b = new UpdateBundles(dir, deviceClass, fakeService, controlFolder);
        b.tool("keygen", "--out", dir.resolve("key").toString());
        b.tool("trust", "init", "--out", b.trustRoot().toString(), "--key", dir.resolve("key.pub.pem").toString(),
                "--threshold", "root=1,app=1", "--expires", "2036-01-01T00:00:00Z");
        b.tool("trust", "sign", "--root", b.trustRoot().toString(), "--key", dir.resolve("key.pem").toString());
        Files.createDirectories(controlFolder);
        Files.write(controlFolder.resolve("app.ctl"), new byte[0]);
        return b;
    }

    Path trustRoot() {
        return dir.resolve("root.json");
    }

    /**
     * Builds a bundle of {@code kind} and drops it into {@code inbox} the way the docs ask: rename when
     * complete. Returns the bundle's path in the inbox.
     */
    Path push(String kind, Path inbox) throws IOException {
        Path bundle = build(kind);
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve(".app-" + version + ".part");
        Files.copy(bundle, tmp, StandardCopyOption.REPLACE_EXISTING);
        Path target = inbox.resolve("app-" + version + ".wbundle");
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * Builds the next bundle of {@code kind} (the next version) and returns the file as it would be sent:
     * tampered or cut for those kinds.
     */
    Path build(String kind) throws IOException {
        version++;
        Path payload = dir.resolve("payload-" + version);
        Files.createDirectories(payload.resolve("bin"));
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String part : fakeService) {
            script.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        script.append(" app '").append(controlFolder.resolve("app.ctl")).append('\'');
        if (kind.equals("failing-trial")) {
            script.append(" crash:400:134:0");
        }
        script.append('\n');
        Path app = payload.resolve("bin/app");
        Files.writeString(app, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(payload.resolve("VERSION"), "app " + version + " " + kind + "\n");
        Path template = dir.resolve("template-" + version + ".json");
        Files.writeString(template, BundleRecipe.manifest(version, deviceClass));
        Path bundle = dir.resolve("app-" + version + ".wbundle");
        tool("build", "--dir", payload.toString(), "--manifest", template.toString(), "--out", bundle.toString(),
                "--key", dir.resolve("key.pem").toString());
        byte[] bytes = BundleRecipe.asSent(kind, version, Files.readAllBytes(bundle));
        Path sent = dir.resolve("app-" + version + "-" + kind + ".sent");
        Files.write(sent, bytes);
        return sent;
    }

    private void tool(String... args) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = BundleTool.run(args, new Invocation(sink, sink, Clock.systemUTC(), false));
        if (code != BundleTool.OK) {
            throw new IOException("waveos bundle " + String.join(" ", args) + " failed (" + code + "): "
                    + err.toString(StandardCharsets.UTF_8));
        }
    }
}
