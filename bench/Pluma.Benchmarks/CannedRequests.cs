using System.Text;

namespace Pluma.Benchmarks;

/// <summary>Requests as real clients send them.</summary>
public static class CannedRequests
{
    public static readonly byte[] Curl = Encoding.ASCII.GetBytes(
        "GET /index.html HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n");

    public static readonly byte[] Browser = Encoding.ASCII.GetBytes(
        "GET /docs/index.html?lang=en HTTP/1.1\r\n" +
        "Host: www.example.org\r\n" +
        "Connection: keep-alive\r\n" +
        "Cache-Control: max-age=0\r\n" +
        "sec-ch-ua: \"Chromium\";v=\"130\", \"Google Chrome\";v=\"130\", \"Not?A_Brand\";v=\"99\"\r\n" +
        "sec-ch-ua-mobile: ?0\r\n" +
        "sec-ch-ua-platform: \"Linux\"\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8\r\n" +
        "Sec-Fetch-Site: none\r\n" +
        "Sec-Fetch-Mode: navigate\r\n" +
        "Sec-Fetch-User: ?1\r\n" +
        "Sec-Fetch-Dest: document\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Accept-Language: en-US,en;q=0.9,fr;q=0.8\r\n" +
        "If-None-Match: \"2aa6-5f6e0c1d2b3c4\"\r\n" +
        "If-Modified-Since: Fri, 02 Jan 2026 03:04:05 GMT\r\n\r\n");

    public static readonly byte[] HeaderHeavy = Build();

    private static byte[] Build()
    {
        var sb = new StringBuilder("GET /api/v1/items?page=3&size=50 HTTP/1.1\r\nHost: api.example.org\r\n");
        for (int i = 0; i < 40; i++)
        {
            sb.Append("X-Custom-Header-").Append(i).Append(": value-").Append(i).Append("-abcdefghijklmnopqrstuvwxyz0123456789\r\n");
        }

        sb.Append("Cookie: ").Append('a', 1500).Append("\r\n\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
