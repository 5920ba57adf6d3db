package io.waveos.agent.update.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TarReader;
import io.waveos.bundles.archive.TarWriter;
import io.waveos.bundles.signature.Ed25519;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.signature.PemKeys;
import io.waveos.bundles.BundleError;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools and openssl agree in both directions: keys, and Ed25519 signatures over the DSSE PAE. */
class OpensslInteropToolTest {

    @TempDir
    Path dir;
    private ToolRunner tool;

    @BeforeEach
    void opensslKeys() throws Exception {
        assumeTrue(ToolRunner.hasOpenssl(), "openssl not installed");
        tool = new ToolRunner(dir);
        for (String name : List.of("o1", "o2")) {
            openssl("genpkey", "-algorithm", "ed25519", "-out", tool.path(name + ".pem").toString());
            openssl("pkey", "-in", tool.path(name + ".pem").toString(), "-pubout", "-out", tool.path(name + ".pub.pem").toString());
        }
        tool.payloadAndTemplate();
    }

    @Test
    void opensslGeneratedKeysWorkWithEveryCommandThatTakesAKey() {
        tool.run("trust", "init", "--out", "@root.json", "--key", "@o1.pub.pem", "--expires", "2028-01-01T00:00:00Z").ok();
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@o1.pem").ok();
        tool.run("trust", "add-key", "--root", "@root.json", "--key", "@o2.pub.pem:app", "--out", "@next.json").ok();
        tool.run("trust", "set-threshold", "--root", "@next.json", "--threshold", "app=2", "--out", "@next.json").ok();
        tool.run("trust", "sign", "--root", "@next.json", "--key", "@o1.pem").ok();
        tool.run("trust", "verify", "--current", "@root.json", "--next", "@next.json").ok();
        tool.run("trust", "remove-key", "--root", "@next.json", "--key", "@o2.pub.pem", "--out", "@third.json")
                .badInput("threshold for app must be 1 to 1");
        tool.run("trust", "set-threshold", "--root", "@next.json", "--threshold", "app=1", "--out", "@third.json").ok();
        tool.run("trust", "remove-key", "--root", "@third.json", "--key", "@o2.pub.pem", "--out", "@third.json").ok();

        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle", "--key", "@o1.pem").ok();
        tool.run("verify", "@web.wbundle", "--root", "@next.json").refused("threshold-not-met");
        tool.run("sign", "--bundle", "@web.wbundle", "--key", "@o2.pem").ok();
        tool.run("verify", "@web.wbundle", "--root", "@next.json").ok();
    }

    @Test
    void aBundleSignedByOpensslOverThePaeVerifies() throws Exception {
        tool.run("trust", "init", "--out", "@root.json", "--key", "@o1.pub.pem", "--expires", "2028-01-01T00:00:00Z").ok();
        tool.run("trust", "sign", "--root", "@root.json", "--key", "@o1.pem").ok();
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@unsigned.wbundle").ok();

        Envelope env = envelopeOf(tool.path("unsigned.wbundle"));
        Files.write(tool.path("pae.bin"), env.pae());
        openssl("pkeyutl", "-sign", "-inkey", tool.path("o1.pem").toString(), "-rawin",
                "-in", tool.path("pae.bin").toString(), "-out", tool.path("sig.bin").toString());
        String keyid = Ed25519.keyid(PemKeys.readPublic(Files.readString(tool.path("o1.pub.pem")), "o1.pub.pem"));
        Envelope signed = env.withSignature(new Envelope.Signature(keyid, Files.readAllBytes(tool.path("sig.bin"))));
        replaceEnvelope(tool.path("unsigned.wbundle"), tool.path("openssl.wbundle"), signed);

        tool.run("verify", "@openssl.wbundle", "--root", "@root.json").ok();
        byte[] bad = Files.readAllBytes(tool.path("sig.bin"));
        bad[0] ^= 1;
        replaceEnvelope(tool.path("unsigned.wbundle"), tool.path("bad.wbundle"), env.withSignature(new Envelope.Signature(keyid, bad)));
        tool.run("verify", "@bad.wbundle", "--root", "@root.json").refused(BundleError.SIGNATURE_INVALID.code());
    }

    @Test
    void opensslVerifiesTheSignatureThatBundleSignAdds() throws Exception {
        tool.run("keygen", "--out", "@k").ok();
        tool.run("build", "--dir", "@payload", "--manifest", "@template.json", "--out", "@web.wbundle").ok();
        tool.run("sign", "--bundle", "@web.wbundle", "--key", "@k.pem").ok();

        Envelope env = envelopeOf(tool.path("web.wbundle"));
        assertEquals(1, env.signatures().size());
        Files.write(tool.path("pae.bin"), env.pae());
        Files.write(tool.path("sig.bin"), env.signatures().get(0).sig());
        List<String> verify = List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", tool.path("k.pub.pem").toString(),
                "-rawin", "-in", tool.path("pae.bin").toString(), "-sigfile", tool.path("sig.bin").toString());
        ToolRunner.Result ok = ToolRunner.exec(verify);
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("Signature Verified Successfully"), ok.out());

        byte[] pae = env.pae();
        pae[pae.length - 2] ^= 1;
        Files.write(tool.path("pae.bin"), pae);
        assertNotEquals(0, ToolRunner.exec(verify).exit(), "openssl must reject a changed PAE");
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        ToolRunner.Result r = ToolRunner.exec(cmd);
        assertEquals(0, r.exit(), () -> cmd + ": " + r.out());
    }

    private static Envelope envelopeOf(Path bundle) throws Exception {
        try (InputStream in = Files.newInputStream(bundle)) {
            TarReader reader = new TarReader(in, Long.MAX_VALUE);
            reader.next().orElseThrow();
            return EnvelopeCodec.parse(reader.content().readAllBytes(), "test", BundleError.ENVELOPE_MALFORMED);
        }
    }

    /** Copies {@code from} to {@code to} with another envelope as the first member. */
    private static void replaceEnvelope(Path from, Path to, Envelope envelope) throws Exception {
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            TarReader reader = new TarReader(in, Long.MAX_VALUE);
            TarWriter writer = new TarWriter(out);
            reader.next().orElseThrow();
            writer.addFile("manifest.dsse.json", 0644, EnvelopeCodec.write(envelope));
            for (Optional<TarMember> m = reader.next(); m.isPresent(); m = reader.next()) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                reader.content().transferTo(content);
                writer.addFile(m.get().name(), m.get().mode(), content.toByteArray());
            }
            writer.finish();
        }
    }
}
