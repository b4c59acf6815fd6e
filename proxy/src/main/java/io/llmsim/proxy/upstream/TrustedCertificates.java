package io.llmsim.proxy.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates upstream TLS trusts: the JDK's, plus CA certificates from a PEM file when one
 * is configured (a corporate proxy that intercepts TLS, a private gateway, a test upstream).
 * Hostname verification stays on either way.
 */
final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The JDK's trust manager, extended by the certificates in {@code pem} when not null. */
  static X509TrustManager trustManager(Path pem) {
    X509TrustManager jdk = fromKeyStore(null);
    if (pem == null) {
      return jdk;
    }
    X509TrustManager extra = fromKeyStore(keyStore(pem));
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        jdk.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        try {
          extra.checkServerTrusted(chain, authType);
        } catch (CertificateException notOurs) {
          jdk.checkServerTrusted(chain, authType);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> all = new ArrayList<>(List.of(jdk.getAcceptedIssuers()));
        all.addAll(List.of(extra.getAcceptedIssuers()));
        return all.toArray(new X509Certificate[0]);
      }
    };
  }

  private static KeyStore keyStore(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("llmsim-trusted-" + i++, cert);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificates in " + pem);
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read CA certificates from " + pem + ": "
          + e.getMessage(), e);
    }
  }

  private static X509TrustManager fromKeyStore(KeyStore store) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }
}
