package io.nsl.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleAssetsTest {
  static final String FIXTURE = "io/nsl/api/console-fixture/";
  final ConsoleAssets assets = new ConsoleAssets(getClass().getClassLoader(), FIXTURE);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/console/../v1/secrets",
        "/console/assets/../../io/nsl/api/ConsoleAssets.class",
        "/console/%2e%2e/v1",
        "/console/%2E%2E%2Fpom.xml",
        "/console/assets%2f..%2f..%2findex.html",
        "/console/..%5c..%5cetc",
        "/console/..\\..\\etc",
        "/console/.hidden",
        "/console/assets/./app-7QW2ZK4M.js",
        "/console/assets//app-7QW2ZK4M.js",
        "/console/assets/",
        "/console/a b.js",
        "/console/app.js;jsessionid=1"
      })
  void refusesNamesThatAreNotPlainBeforeLookingThemUp(String path) {
    ApiFailure e = assertThrows(ApiFailure.class, () -> assets.find(path));
    assertEquals(ErrorStatus.BAD_PATH, e.status());
    assertTrue(e.getMessage().contains("/console/"), e.getMessage());
  }

  @Test
  void theRootIsIndexHtml() {
    assertEquals("index.html", ConsoleAssets.assetName("/console/"));
    ConsoleAssets.Asset index = assets.find("/console/").orElseThrow();
    assertEquals("text/html; charset=utf-8", index.contentType());
    assertEquals(ConsoleAssets.CACHE_REVALIDATE, index.cacheControl());
  }

  @Test
  void hashedNamesAreImmutableAndTypedByExtension() {
    ConsoleAssets.Asset js = assets.find("/console/assets/app-7QW2ZK4M.js").orElseThrow();
    assertEquals("text/javascript; charset=utf-8", js.contentType());
    assertEquals(ConsoleAssets.CACHE_IMMUTABLE, js.cacheControl());
    ConsoleAssets.Asset css = assets.find("/console/assets/app-3F9K2QXA.css").orElseThrow();
    assertEquals("text/css; charset=utf-8", css.contentType());
  }

  @Test
  void largeTextIsGzippedOnceAndInflatesToTheSameBytes() throws IOException {
    ConsoleAssets.Asset js = assets.find("/console/assets/app-7QW2ZK4M.js").orElseThrow();
    byte[] gz = js.gzip();
    assertNotNull(gz);
    assertTrue(gz.length < js.bytes().length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertArrayEquals(js.bytes(), in.readAllBytes());
    }
    // the small stylesheet is not worth compressing
    assertNull(assets.find("/console/assets/app-3F9K2QXA.css").orElseThrow().gzip());
  }

  @Test
  void missingFilesDirectoriesAndUnknownTypesAreNotFound() {
    assertFalse(assets.find("/console/nothing.js").isPresent());
    assertFalse(assets.find("/console/assets/sub.js").isPresent(), "a directory is not a file");
    assertFalse(assets.find("/console/assets/notes.exe").isPresent());
    assertFalse(assets.find("/console/assets").isPresent());
  }

  @Test
  void anEmptyBundleHasNoIndex() {
    ConsoleAssets none = new ConsoleAssets(getClass().getClassLoader(), "io/nsl/api/no-console/");
    assertFalse(none.find("/console/").isPresent());
  }

  @Test
  void gzipAcceptanceFollowsQValues() {
    assertTrue(ApiServer.acceptsGzip("gzip, deflate, br"));
    assertTrue(ApiServer.acceptsGzip("br;q=1.0, GZIP;q=0.5"));
    assertFalse(ApiServer.acceptsGzip("gzip;q=0"));
    assertFalse(ApiServer.acceptsGzip("identity"));
    assertFalse(ApiServer.acceptsGzip(null));
  }
}
