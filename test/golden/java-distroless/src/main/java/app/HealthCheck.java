package app;

import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;

/**
 * The image's HEALTHCHECK (D12): exits 0 when the service answers its health path with 200, 1
 * otherwise. It runs on the same JRE as the service (java -cp /app/app.jar app.HealthCheck), so
 * the image needs no curl, wget or shell.
 */
public final class HealthCheck {
    private HealthCheck() {}

    public static void main(String[] args) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + App.PORT + App.HEALTH_PATH);
            // NO_PROXY: proxy settings must never send the loopback probe elsewhere.
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            connection.setInstanceFollowRedirects(false);
            int status = connection.getResponseCode();
            connection.disconnect();
            System.exit(status == 200 ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
