package io.waveos.agent.update.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen and the trust root commands: creation, signing, rotation, and every bad input's one-line refusal. */
class TrustToolTest {

    @TempDir
    Path dir;
    private ToolRunner tool;

    @BeforeEach
    void twoKeys() {
        tool = new ToolRunner(dir);
        tool.run("keygen", "--out", "@old").ok();
        tool.run("keygen", "--out", "@new").ok();
    }

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyWhosePublicHalfOpensslDerivesIdentically() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tool.path("old.pem"))));
        assumeTrue(ToolRunner.hasOpenssl(), "openssl not installed");
        ToolRunner.Result derived = ToolRunner.exec(List.of("openssl", "pkey", "-in", tool.path("old.pem").toString(), "-pubout"));
        assertEquals(0, derived.exit(), derived.out());
        assertEquals(Files.readString(tool.path("old.pub.pem")), derived.out());
    }

    @Test
    void keygenPrintsTheKeyidAndRefusesToOverwriteAKey() {
        ToolRunner.Result r = tool.run("keygen", "--out", "@third").ok();
        assertTrue(r.out().matches("(?s)keyid [0-9a-f]{64}\n.*"), r.out());
        tool.run("keygen", "--out", "@old").badInput("exists; refusing to overwrite a key");
    }

    @Test
    void aRootIsAcceptedOnlyOnceSignedByItsOwnRootThreshold() throws Exception {
        tool.run("trust", "init", "--out", "@root.json", "--key", "@old.pub.pem", "--key", "@new.pub.pem:app,config",
                "--threshold", "root=1,app=2", "--expires", "2028-01-01T00:00:00Z").ok();
        tool.run("trust", "verify", "@root.json").refused("trust-root-invalid");
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@new.pem").ok();
        tool.run("trust", "verify", "@root.json").refused("trust-root-invalid");
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@old.pem").ok();
        tool.run("trust", "verify", "@root.json").ok();
        tool.run("trust", "verify", "@root.json", "--now", "2028-01-01T00:00:00Z").refused("trust-root-expired");
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@old.pem").badInput("already signed by key");

        ToolRunner.Result shown = tool.run("trust", "show", "@root.json", "--json").ok();
        Map<String, Object> doc = Json.parseObject(shown.out().strip().getBytes(StandardCharsets.UTF_8));
        assertEquals(2L, ((Map<?, ?>) doc.get("thresholds")).get("app"));
        List<?> keys = (List<?>) doc.get("keys");
        assertEquals(List.of("app", "config"), ((Map<?, ?>) keys.get(1)).get("roles"));
        assertEquals(List.of("not-a-root-key", "valid"), ((List<?>) doc.get("signatures")).stream()
                .map(s -> ((Map<?, ?>) s).get("against_own_root_keys")).toList());
        assertTrue(tool.run("trust", "show", "@root.json").ok().out().contains("thresholds root=1/1,app=2/2"));
    }

    @Test
    void aRotationNeedsTheOldRootsKeysAsWellAsTheNewOnes() {
        tool.run("trust", "init", "--out", "@v1.json", "--key", "@old.pub.pem", "--expires", "2028-01-01T00:00:00Z").ok();
        tool.run("trust", "sign", "--root", "@v1.json", "--key", "@old.pem").ok();

        tool.run("trust", "add-key", "--root", "@v1.json", "--key", "@new.pub.pem", "--out", "@v2.json").ok();
        tool.run("trust", "remove-key", "--root", "@v2.json", "--key", "@old.pub.pem", "--out", "@v2.json").ok();
        assertTrue(tool.run("trust", "show", "@v2.json").ok().out().contains("version 2"), "a draft keeps its version");
        tool.run("trust", "sign", "--root", "@v2.json", "--key", "@new.pem").ok();
        tool.run("trust", "verify", "--current", "@v1.json", "--next", "@v2.json").refused("trust-root-invalid");

        tool.run("trust", "sign", "--root", "@v2.json", "--key", "@old.pem").ok();
        ToolRunner.Result ok = tool.run("trust", "verify", "--current", "@v1.json", "--next", "@v2.json").ok();
        assertTrue(ok.out().contains("from version 1 to 2"), ok.out());

        tool.run("trust", "set-threshold", "--root", "@v2.json", "--threshold", "app=1", "--out", "@v3.json").ok();
        assertTrue(tool.run("trust", "show", "@v3.json").ok().out().contains("version 3"), "editing a signed root starts the next");
    }

    @Test
    void everyBadInputIsOneLineNamingWhatAndWhere() throws Exception {
        Files.writeString(tool.path("junk.pem"), "hello\n");
        tool.run("trust", "init", "--out", "@r.json", "--key", "@junk.pem", "--expires", "2028-01-01T00:00:00Z")
                .badInput(tool.path("junk.pem") + ": not a PEM file");
        tool.run("trust", "init", "--out", "@r.json", "--key", "@old.pem", "--expires", "2028-01-01T00:00:00Z")
                .badInput("expected \"PUBLIC KEY\"");
        tool.run("trust", "init", "--out", "@r.json", "--key", "@nope.pub.pem", "--expires", "2028-01-01T00:00:00Z")
                .badInput(tool.path("nope.pub.pem") + ": no such file");
        tool.run("trust", "init", "--out", "@r.json", "--key", "@old.pub.pem:admin", "--expires", "2028-01-01T00:00:00Z")
                .badInput("unknown role \"admin\"");
        tool.run("trust", "init", "--out", "@r.json", "--key", "@old.pub.pem", "--expires", "2028-01-01")
                .badInput("--expires: expected RFC 3339");
        tool.run("trust", "init", "--out", "@r.json", "--key", "@old.pub.pem", "--threshold", "app=2",
                "--expires", "2028-01-01T00:00:00Z").badInput("threshold for app must be 1 to 1");
        tool.run("trust", "init", "--out", "@r.json", "--kee", "@old.pub.pem").badInput("unknown option '--kee'");
        tool.run("trust", "frobnicate").badInput("unknown trust command 'frobnicate'");
        assertTrue(Files.notExists(tool.path("r.json")));
        if (ToolRunner.hasOpenssl()) {
            ToolRunner.exec(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", tool.path("ec.pem").toString())).ok();
            tool.run("trust", "sign", "--root", "@r.json", "--key", "@ec.pem").badInput("an EC (ECDSA) key");
        }
    }

    @Test
    void helpAndNoArgumentsPrintUsage() {
        assertEquals(0, tool.run("help").exit());
        ToolRunner.Result none = tool.run();
        assertEquals(BundleTool.BAD_INPUT, none.exit());
        assertTrue(none.err().contains("usage: waveos bundle"));
    }
}
