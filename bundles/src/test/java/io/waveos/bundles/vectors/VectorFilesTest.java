package io.waveos.bundles.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed vectors are exactly what {@link VectorGenerator} produces. With
 * {@code -Dwaveos.regenerateVectors=true} it writes them instead (and then passes).
 */
class VectorFilesTest {

    @Test
    void regeneratingTheVectorsYieldsByteIdenticalFiles() throws IOException {
        Map<String, byte[]> fresh = VectorGenerator.generate();
        if (Boolean.getBoolean("waveos.regenerateVectors")) {
            VectorGenerator.main(new String[] {VectorFiles.dir().toString()});
        }
        Set<String> committed;
        try (Stream<Path> files = Files.list(VectorFiles.dir())) {
            committed = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(fresh.keySet()), committed, "the vector folder holds exactly the generated files");
        for (Map.Entry<String, byte[]> e : fresh.entrySet()) {
            assertArrayEquals(e.getValue(), VectorFiles.read(e.getKey()), e.getKey() + " differs from a fresh generation");
        }
    }

    @Test
    void generationIsDeterministicWithinOneRun() {
        Map<String, byte[]> first = VectorGenerator.generate();
        Map<String, byte[]> second = VectorGenerator.generate();
        assertEquals(first.keySet(), second.keySet());
        first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), name));
    }
}
