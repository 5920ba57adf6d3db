package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleRejected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * {@code waveos bundle <command>}: dispatches to the command groups and maps every outcome to one
 * exit status. Exit statuses: {@value #OK} success; {@value #IO_FAILED} an I/O failure (disk full, a
 * file that changed while read); {@value #BAD_INPUT} bad usage or an unusable input file (one line on
 * stderr naming what and where); {@value #REFUSED} a bundle or trust root broke a rule, with
 * {@code error: <code>: <member>: <rule>} on stderr, {@code <code>} being a stable
 * {@link io.waveos.bundles.BundleError} code. Never prints a stack trace. Stateless.
 */
public final class BundleTool {

    public static final int OK = 0;
    public static final int IO_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int REFUSED = 3;

    static final String USAGE = String.join("\n",
            "usage: waveos bundle <command> [options]",
            "",
            "  keygen --out NAME             write NAME.pem (private, mode 0600) and NAME.pub.pem; print the keyid",
            "  trust init --out ROOT --key PUB.pem[:ROLES]... --expires T [--threshold ROLE=N,...] [--version N]",
            "  trust sign --root ROOT --key PRIV.pem        add one signature to ROOT, in place",
            "  trust add-key --root ROOT --key PUB.pem[:ROLES] --out NEXT [--expires T]",
            "  trust remove-key --root ROOT (--keyid ID | --key PUB.pem) --out NEXT [--expires T]",
            "  trust set-threshold --root ROOT --threshold ROLE=N,... --out NEXT [--expires T]",
            "  trust show ROOT [--json]",
            "  trust verify ROOT | --current OLD --next NEXT   [--now T]",
            "  build --dir DIR --manifest TEMPLATE.json --out B.wbundle [--key PRIV.pem]... [--progress]",
            "  sign --bundle B.wbundle --key PRIV.pem [--out OUT.wbundle]",
            "  verify B.wbundle --root ROOT [--device-class C] [--floor N] [--agent-version V] [--now T] [--progress]",
            "  inspect B.wbundle [--json]",
            "",
            "ROLES: comma-separated among root,app,config,certs (default: all). T: RFC 3339, like 2028-01-01T00:00:00Z.",
            "exit codes: 0 ok, 1 I/O failure, 2 bad usage or input, 3 refused (stderr: error: <code>: <member>: <rule>)",
            "see docs/updates.md");

    private BundleTool() {
    }

    /** Runs one command; {@code args} start after {@code bundle}. */
    public static int run(String[] args, Invocation inv) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? inv.err() : inv.out()).println(USAGE);
            return args.length == 0 ? BAD_INPUT : OK;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        String where = "waveos bundle " + command;
        try {
            return switch (command) {
                case "keygen" -> KeygenCommand.run(rest, inv);
                case "trust" -> {
                    where = where + (rest.length > 0 ? " " + rest[0] : "");
                    yield TrustCommands.run(rest, inv);
                }
                case "build" -> BuildCommand.run(rest, inv);
                case "sign" -> SignCommand.run(rest, inv);
                case "verify" -> VerifyCommand.run(rest, inv);
                case "inspect" -> InspectCommand.run(rest, inv);
                default -> throw new BadInput("unknown command '" + command + "' (waveos bundle help lists them)");
            };
        } catch (BadInput e) {
            inv.err().println(where + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (BundleRejected e) {
            inv.err().println("error: " + e.getMessage());
            return REFUSED;
        } catch (IOException | UncheckedIOException e) {
            inv.err().println(where + ": " + e.getMessage());
            return IO_FAILED;
        }
    }
}
