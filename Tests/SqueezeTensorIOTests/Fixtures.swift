import Foundation

/// Bytes written by NumPy 2.4 (Python 3.11), generated once and embedded so the
/// tests do not need Python. Each comment is the Python that wrote the bytes
/// (`f` an `io.BytesIO`).
enum Fixtures {
    /// np.save: np.arange(6, dtype='<f4').reshape(2, 3)
    static let float32Arange2x3 = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBA
        AACAQAAAoEA=
        """)

    /// np.save: (np.arange(6).reshape(2, 3) * 1.5).astype('>f4')
    static let bigEndianFloat32 = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAP8AAAEBAAABAkAAA
        QMAAAEDwAAA=
        """)

    /// np.save: np.array([0.5, -1.25, 3.0, 1e-3], dtype='<f8')
    static let float64Vector = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADgPwAAAAAAAPS/
        AAAAAAAACED8qfHSTWJQPw==
        """)

    /// np.save: np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3))
    static let fortranOrder2x3 = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBA
        AAAAQAAAoEA=
        """)

    /// np.lib.format.write_array(f, np.arange(4, dtype='<f4'), version=(2, 0))
    static let version2 = bytes("""
        k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoNCwpLCB9ICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBA
        """)

    /// np.lib.format.write_array(f, np.arange(3, dtype='<i4'), version=(3, 0))
    static let version3 = bytes("""
        k05VTVBZAwB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAQAAAAIAAAA=
        """)

    /// np.save: np.array([-128, -1, 0, 1, 127], dtype='i1')
    static let int8Vector = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnfGkxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqA/wABfw==
        """)

    /// np.save: np.array([[-2147483648, 7], [2147483647, 0]], dtype='<i4')
    static let int32Matrix = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAACABwAAAP///38AAAAA
        """)

    /// np.save: np.array(3.5, dtype='<f4')
    static let float32Scalar = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA
        """)

    /// np.save: np.zeros((1, 10), dtype='<f4')
    static let float32Zeros1x10 = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEwKSwgfSAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAA
        AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
        """)

    /// np.save: np.array([1, 2], dtype='u1')
    static let uint8Vector = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAg==
        """)

    /// np.save: np.array([1j], dtype='<c8')
    static let complex64Vector = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGM4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPw==
        """)

    /// np.save: np.arange(24, dtype='<f4').reshape(1, 2, 3, 4)
    static let float32Arange1x2x3x4 = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIsIDMsIDQp
        LCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBA
        AACAQAAAoEAAAMBAAADgQAAAAEEAABBBAAAgQQAAMEEAAEBBAABQQQAAYEEAAHBBAACAQQAAiEEAAJBBAACYQQAAoEEAAKhB
        AACwQQAAuEE=
        """)

    /// np.save: np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4))
    static let fortranOrder2x3x4 = bytes("""
        k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0g
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQQAAgEAAAIBB
        AAAAQQAAoEEAAIA/AABQQQAAoEAAAIhBAAAQQQAAqEEAAABAAABgQQAAwEAAAJBBAAAgQQAAsEEAAEBAAABwQQAA4EAAAJhB
        AAAwQQAAuEE=
        """)

    /// np.savez(f, w=np.arange(6, dtype='<f4').reshape(2, 3), b=np.array([1, 2], dtype='<i4'))
    static let savez = bytes("""
        UEsDBC0AAAAAAAAAIQBP6QAq//////////8FABQAdy5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2Ny
        JzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAgD8AAABAAABAQAAAgEAAAKBAUEsDBC0AAAAA
        AAAAIQAL+aot//////////8FABQAYi5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpNCcs
        ICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg
        ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQAAAAIAAABQSwECLQMtAAAAAAAAACEAT+kAKpgAAACYAAAABQAAAAAA
        AAAAAAAAgAEAAAAAdy5ucHlQSwECLQMtAAAAAAAAACEAC/mqLYgAAACIAAAABQAAAAAAAAAAAAAAgAHPAAAAYi5ucHlQSwUG
        AAAAAAIAAgBmAAAAjgEAAAAA
        """)

    /// np.savez_compressed(f, w=np.arange(6, dtype='<f4').reshape(2, 3), b=np.array([1, 2], dtype='<i4'))
    static let savezCompressed = bytes("""
        UEsDBC0AAAAIAAAAIQBP6QAq//////////8FABQAdy5ucHkBABAAmAAAAAAAAABVAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxc
        pG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLgYwaLAHEg5ABMQNQLzAAQBQSwME
        LQAAAAgAAAAhAAv5qi3//////////wUAFABiLm5weQEAEACIAAAAAAAAAEsAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWg
        bpNpoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaRjqaOgq1ChQALkYGBgYmIAYAUEsBAi0DLQAAAAgAAAAhAE/p
        ACpVAAAAmAAAAAUAAAAAAAAAAAAAAIABAAAAAHcubnB5UEsBAi0DLQAAAAgAAAAhAAv5qi1LAAAAiAAAAAUAAAAAAAAAAAAA
        AIABjAAAAGIubnB5UEsFBgAAAAACAAIAZgAAAA4BAAAAAA==
        """)

    /// zipfile.ZipFile(f, 'w').writestr('readme.txt', 'hello')
    static let zipWithTextEntry = bytes("""
        UEsDBBQAAAAAAEqNeV2GphA2BQAAAAUAAAAKAAAAcmVhZG1lLnR4dGhlbGxvUEsBAhQDFAAAAAAASo15XYamEDYFAAAABQAA
        AAoAAAAAAAAAAAAAAIABAAAAAHJlYWRtZS50eHRQSwUGAAAAAAEAAQA4AAAALQAAAAAA
        """)

    /// zipfile.ZipFile(f, 'w').writestr('w.npy', b'not numpy at all')
    static let zipWithBrokenNpy = bytes("""
        UEsDBBQAAAAAANSNeV044uzuEAAAABAAAAAFAAAAdy5ucHlub3QgbnVtcHkgYXQgYWxsUEsBAhQDFAAAAAAA1I15XTji7O4Q
        AAAAEAAAAAUAAAAAAAAAAAAAAIABAAAAAHcubnB5UEsFBgAAAAABAAEAMwAAADMAAAAAAA==
        """)

    /// np.savez_compressed(f, z=np.zeros(1000, dtype='<f4')), then the central
    /// directory's uncompressed size of 'z.npy' patched from 4128 to 200
    static let savezCompressedLyingSize = bytes("""
        UEsDBC0AAAAIAAAAIQClwJRO//////////8FABQAei5ucHkBABAAIBAAAAAAAABjAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxc
        pG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GoYGBgY6mjoKtQrkAi6GUTAKRsEoGAWjYBSMglEwCkbB
        KBgFo2AUDDgAAFBLAQItAy0AAAAIAAAAIQClwJROYwAAAMgAAAAFAAAAAAAAAAAAAACAAQAAAAB6Lm5weVBLBQYAAAAAAQAB
        ADMAAACaAAAAAAA=
        """)

    /// Decodes base64 (line breaks allowed); empty if the literal is broken.
    static func bytes(_ base64: String) -> [UInt8] {
        let joined = base64.split(whereSeparator: \.isNewline).joined()
        return Data(base64Encoded: joined).map { [UInt8]($0) } ?? []
    }
}
