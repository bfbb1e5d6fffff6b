namespace Pluma.Http.Http2;

/// <summary>SETTINGS parameters (RFC 9113 6.5.2); unknown ones are ignored.</summary>
public enum Http2SettingId : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
}
