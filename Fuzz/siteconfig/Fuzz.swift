import Foundation
import MonarchFuzz

/// libFuzzer entry point of the 'siteconfig' target (issue #6); built and run by `make fuzz`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    FuzzInputs.run(.siteconfig, Data(bytes: start, count: count))
    return 0
}

/// libFuzzer's driver (in the -sanitize=fuzzer runtime). SwiftPM links an executable's entry
/// point as `main`, so the target has one that hands the command line to libFuzzer.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, fuzzTestOneInput))
    }
}
