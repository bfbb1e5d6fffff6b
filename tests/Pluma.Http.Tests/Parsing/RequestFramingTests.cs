using System.Text;
using Pluma.Http.Internal;
using Pluma.Http.Protocol;
using Xunit;

namespace Pluma.Http.Tests.Parsing;

public class RequestFramingTests
{
    [Theory]
    [InlineData(1001, 0, "", 0, "", nameof(RequestRejection.None), false, -1L)]
    [InlineData(1001, 0, "", 1, "0", nameof(RequestRejection.None), false, 0L)]
    [InlineData(1000, 0, "", 1, "42", nameof(RequestRejection.None), false, 42L)]
    [InlineData(1001, 1, "chunked", 0, "", nameof(RequestRejection.None), true, -1L)]
    [InlineData(1001, 1, "cHuNkEd", 0, "", nameof(RequestRejection.None), true, -1L)]
    [InlineData(1001, 1, " chunked\t", 0, "", nameof(RequestRejection.None), true, -1L)]
    [InlineData(1001, 1, "chunked", 1, "5", nameof(RequestRejection.TransferEncodingWithContentLength), false, -1L)]
    [InlineData(1001, 1, "gzip, chunked", 1, "5", nameof(RequestRejection.TransferEncodingWithContentLength), false, -1L)]
    [InlineData(1000, 1, "chunked", 0, "", nameof(RequestRejection.TransferEncodingInHttp10), false, -1L)]
    [InlineData(1000, 1, "chunked", 1, "5", nameof(RequestRejection.TransferEncodingInHttp10), false, -1L)]
    [InlineData(1001, 2, "chunked", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "gzip, chunked", 0, "", nameof(RequestRejection.UnsupportedTransferCoding), false, -1L)]
    [InlineData(1001, 1, "x-custom;a=b, gzip ,chunked", 0, "", nameof(RequestRejection.UnsupportedTransferCoding), false, -1L)]
    [InlineData(1001, 1, "chunked, chunked", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "gzip, chunked, chunked", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, ", chunked", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "chunked,", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "gzip,, chunked", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "chunked;x=1", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "chunked, gzip", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "identity", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "gzip", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 1, "chunked x", 0, "", nameof(RequestRejection.BadTransferEncoding), false, -1L)]
    [InlineData(1001, 0, "", 2, "5", nameof(RequestRejection.BadContentLength), false, -1L)]
    [InlineData(1001, 0, "", 1, "+5", nameof(RequestRejection.BadContentLength), false, -1L)]
    [InlineData(1001, 0, "", 1, "5, 5", nameof(RequestRejection.BadContentLength), false, -1L)]
    [InlineData(1001, 0, "", 1, "", nameof(RequestRejection.BadContentLength), false, -1L)]
    // Any number of leading zeros, and any value up to 2^63 - 1, as Apache's ap_parse_strict_length reads them.
    [InlineData(1001, 0, "", 1, "1234567890123456789", nameof(RequestRejection.None), false, 1234567890123456789L)]
    [InlineData(1001, 0, "", 1, "9223372036854775807", nameof(RequestRejection.None), false, long.MaxValue)]
    [InlineData(1001, 0, "", 1, "0000000000000000000000000000009223372036854775807", nameof(RequestRejection.None), false, long.MaxValue)]
    [InlineData(1001, 0, "", 1, "000000000000000000000000000000", nameof(RequestRejection.None), false, 0L)]
    [InlineData(1001, 0, "", 1, "00000000000000000000000005", nameof(RequestRejection.None), false, 5L)]
    [InlineData(1001, 0, "", 1, "9223372036854775808", nameof(RequestRejection.BadContentLength), false, -1L)]
    [InlineData(1001, 0, "", 1, "99999999999999999999", nameof(RequestRejection.BadContentLength), false, -1L)]
    public void DecidesOneFramingOrRefuses(int version, int teLines, string te, int clLines, string cl, string expected, bool chunked, long length)
    {
        RequestRejection got = RequestFraming.Decide(version, teLines, Encoding.Latin1.GetBytes(te), clLines, Encoding.Latin1.GetBytes(cl), out bool isChunked, out long bodyLength);
        Assert.Equal(expected, got.ToString());
        Assert.Equal(chunked, isChunked);
        Assert.Equal(length, bodyLength);
    }
}
