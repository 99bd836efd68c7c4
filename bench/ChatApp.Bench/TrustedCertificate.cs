using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ChatApp.Bench;

/// <summary>Connections that accept one self-signed server certificate (the benchmark server's), and no other.</summary>
public static class TrustedCertificate
{
    public static Action<SocketsHttpHandler> Handler(string pemPath)
    {
        var callback = Callback(pemPath);
        return handler => handler.SslOptions.RemoteCertificateValidationCallback = callback;
    }

    public static RemoteCertificateValidationCallback Callback(string pemPath)
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return (_, presented, _, errors) => errors == SslPolicyErrors.None || presented is not null && presented.GetCertHashString() == trusted.Thumbprint;
    }
}
