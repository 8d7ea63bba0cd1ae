package dev.wax.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processes of a local cluster share a secret only they know, new for each cluster. */
class LocalClusterTest {
  @TempDir Path dir;

  @Test
  void itsProcessesShareARandomSecretOfTheirOwn() throws Exception {
    String first = secretsOfTwoProcesses("a");
    String second = secretsOfTwoProcesses("b");
    assertTrue(first.matches("[0-9a-f]{64}"), first);
    assertNotEquals(first, second);
  }

  /** Starts a cluster of two processes that write down their secrets; returns the one they share. */
  private String secretsOfTwoProcesses(String name) throws Exception {
    List<List<String>> commands =
        List.of(0, 1).stream()
            .map(i -> List.of("sh", "-c", "printf %s \"$WAX_CLUSTER_SECRET\" > " + dir.resolve(name + i)))
            .toList();
    assertEquals(new LocalCluster.Outcome(0, false), LocalCluster.run(commands));
    String secret = Files.readString(dir.resolve(name + "0"));
    assertEquals(secret, Files.readString(dir.resolve(name + "1")));
    return secret;
  }
}
