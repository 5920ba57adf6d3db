package io.waveos.bundles.manifest;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.JsonFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The manifest's {@code files} list: each entry's fields, {@link PayloadPath} rules, no path listed
 * twice ({@link BundleError#MEMBER_DUPLICATE}), no path that is a folder of another listed path
 * ({@code a} and {@code a/b}: {@link BundleError#PATH_UNSAFE}, since one would have to be both a file
 * and a folder in the slot).
 */
final class PayloadFiles {

    /** The largest size a single file may declare (1 TiB); callers cap totals far lower. */
    static final long MAX_FILE_BYTES = 1L << 40;

    private static final Set<String> KEYS = Set.of("path", "size", "sha256", "mode");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MODE = Pattern.compile("0[0-7]{3}");

    private PayloadFiles() {
    }

    static List<PayloadFile> parse(JsonFields top) throws JsonFields.Violation, BundleRejected {
        List<Object> items = top.array("files", Integer.MAX_VALUE);
        if (items.size() > ManifestCodec.MAX_FILES) {
            throw new BundleRejected(BundleError.TOO_LARGE, "manifest.files",
                    "at most " + ManifestCodec.MAX_FILES + " files, found " + items.size());
        }
        List<PayloadFile> files = new ArrayList<>(items.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "manifest.files[" + i + "]";
            JsonFields f = JsonFields.of(at, items.get(i)).onlyKeys(KEYS);
            String path = f.string("path");
            PayloadPath.check(path, f.pathOf("path"));
            Integer earlier = seen.putIfAbsent(path, i);
            if (earlier != null) {
                throw new BundleRejected(BundleError.MEMBER_DUPLICATE, f.pathOf("path"),
                        "each path listed once, \"" + path + "\" is also manifest.files[" + earlier + "]");
            }
            long size = f.integer("size", 0, MAX_FILE_BYTES);
            String sha = ManifestCodec.matching(f, "sha256", SHA256);
            String mode = ManifestCodec.matching(f, "mode", MODE);
            files.add(new PayloadFile(path, size, HexFormat.of().parseHex(sha), Integer.parseInt(mode, 8)));
        }
        for (int i = 0; i < files.size(); i++) {
            String path = files.get(i).path();
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                Integer folder = seen.get(path.substring(0, slash));
                if (folder != null) {
                    throw new BundleRejected(BundleError.PATH_UNSAFE, "manifest.files[" + folder + "].path",
                            "not a folder of another file (manifest.files[" + i + "] is \"" + path + "\")");
                }
            }
        }
        return files;
    }

    static List<Object> write(List<PayloadFile> files) {
        List<Object> out = new ArrayList<>(files.size());
        for (PayloadFile f : files) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("size", f.size());
            m.put("sha256", f.sha256Hex());
            m.put("mode", String.format("%04o", f.mode()));
            out.add(m);
        }
        return out;
    }
}
