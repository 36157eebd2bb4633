package dev.anytimenn.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The demo page: three files served from the jar, nothing from elsewhere. */
final class WebPage {

    private static final String ROOT = "/dev/anytimenn/serve/web/";
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

    private final Map<String, byte[]> content = new java.util.HashMap<>();

    WebPage() {
        for (Map.Entry<String, String[]> f : FILES.entrySet()) {
            try (InputStream in = WebPage.class.getResourceAsStream(ROOT + f.getValue()[0])) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + ROOT + f.getValue()[0]);
                }
                content.put(f.getKey(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    boolean has(String path) {
        return FILES.containsKey(path);
    }

    /** Writes the file at {@code path}; false when there is none. */
    boolean serve(String path, Response response, Callback callback) {
        byte[] bytes = content.get(path);
        if (bytes == null) {
            return false;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, FILES.get(path)[1]);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
