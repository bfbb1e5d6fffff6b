using System.Text;
using Pluma.Modules.AuthnFile;

namespace Pluma.Modules.Tests.AuthnFile;

/// <summary>
/// apr_password_validate's hash kinds, with vectors written by Apache's own htpasswd (2.4.71)
/// and openssl passwd -apr1: the right password matches, any other does not.
/// </summary>
public class PasswordValidatorTests
{
    [Theory]
    [InlineData("s3cret", "$apr1$712RePtx$4BVTDcPbk7WNM4TORdNgJ0")]
    [InlineData("", "$apr1$QTcgE.CU$23jkX3JCEHLNvZ/eRU/sm/")]
    [InlineData("pässwörd", "$apr1$GXP8ixbf$HSEFxaO4D/LtZ4HmW37cY/")]
    [InlineData("password", "$apr1$abcdefgh$FBwExRW4dCc8aL.OvjpIE1")]
    [InlineData("x", "$apr1$$jYtXyIcDHukcQfHjblNhq/")]
    [InlineData("s3cret", "{SHA}/vNB+F2HQ559kaLUZbmHHvZrXpg=")]
    [InlineData("s3cret", "go3D6freUxpJA")]
    [InlineData("s3cret", "$5$IIBsKcvclms5OhCu$FpdHXYxTpmCBMOPe0Z/aijTpVc0tsbDiLDR.CcftB46")]
    [InlineData("s3cret", "$6$u.nKSeEg2m/P6EAb$h7H9Ec45XMCvgK.lCzBU5O0RApUefvhUjn9.JJyFoYQ6bzC5Ei86Irjg2E950uMtch7NMcXHUp1kWxc9XH.5m0")]
    [InlineData("s3cret", "$2y$05$MLQHtc8WFkmiOvxRGuSw2O5iPoWZySElyRmbXKxg1D5M.RjCHlo/a")]
    [InlineData("longer password with spaces", "$2y$04$oqmfKc9Lb4a5/nMQEbOoJesFFYTX4cIqTbzucx2aqgYlLg3jyUr2O")]
    public void TheRightPasswordMatchesAndAnotherDoesNot(string password, string hash)
    {
        Assert.True(PasswordValidator.Validate(Encoding.UTF8.GetBytes(password), hash));
        Assert.False(PasswordValidator.Validate(Encoding.UTF8.GetBytes(password + "x"), hash));
        Assert.False(PasswordValidator.Validate(Encoding.UTF8.GetBytes("S3cret"), hash));
    }

    [Fact]
    public void Apr1HashesAsApacheWrites()
    {
        Assert.Equal("$apr1$712RePtx$4BVTDcPbk7WNM4TORdNgJ0", Apr1Md5.Hash("s3cret"u8, "$apr1$712RePtx$anything"));

        // The salt is at most 8 characters and ends at '$'.
        Assert.Equal("$apr1$abcdefgh$FBwExRW4dCc8aL.OvjpIE1", Apr1Md5.Hash("password"u8, "abcdefghijk"));
    }

    [Fact]
    public void DesLooksAtEightCharactersOnlyAsCryptDoes()
    {
        string hash = "go3D6freUxpJA"; // crypt("s3cret")
        Assert.True(PasswordValidator.Validate("s3cret"u8, hash));
        byte[] des8 = SystemCrypt.Hash("12345678"u8, "ab")!;
        Assert.True(PasswordValidator.Validate("12345678-ignored"u8, Encoding.ASCII.GetString(des8)));
    }

    [Theory]
    [InlineData("s3cret")]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("$apr1")]
    [InlineData("{SHA}")]
    [InlineData("$2y$05$short")]
    public void APlainTextOrBrokenEntryNeverMatches(string hash)
    {
        // Apache on Unix hands a plain text to crypt(3), which never gives it back.
        Assert.False(PasswordValidator.Validate("s3cret"u8, hash));
        Assert.False(PasswordValidator.Validate(Encoding.UTF8.GetBytes(hash), hash));
    }
}
