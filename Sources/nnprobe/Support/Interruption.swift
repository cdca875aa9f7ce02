import Foundation

/// SIGINT, SIGTERM and SIGHUP, caught so that a long job (a sweep) can stop its children and
/// remove their unfinished files before exiting. The handler only records the signal; the job
/// polls `Interruption.caught`.
enum Interruption {
    nonisolated(unsafe) private static var signalNumber: Int32 = 0

    /// Installs the handlers and unblocks the signals, which a mask inherited from whoever
    /// started nnprobe may block (once is enough; later calls do nothing new).
    static func catchSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { Interruption.signalNumber = $0 }
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, nil)
            sigaddset(&signals, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// The signal caught since `catchSignals`, if any.
    static var caught: Int32? { signalNumber == 0 ? nil : signalNumber }
}
