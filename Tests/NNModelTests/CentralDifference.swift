/// (loss(θ + h) − loss(θ − h)) / 2h for one parameter θ that `nudge` moves by the amount it is
/// given (and leaves where it was).
func centralDifference(of loss: () -> Double, step h: Double = 1e-6, nudge: (Double) -> Void) -> Double {
    nudge(h); let up = loss()
    nudge(-2 * h); let down = loss()
    nudge(h)
    return (up - down) / (2 * h)
}
