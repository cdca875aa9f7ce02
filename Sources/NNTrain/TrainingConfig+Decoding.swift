import NNModel
import NNTasks

extension TrainingConfig {
    public init(from decoder: Decoder) throws {
        try rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue), section: "")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func take<V: Decodable>(_ key: CodingKeys, _ target: inout V) throws {
            if let v = try c.decodeIfPresent(V.self, forKey: key) { target = v }
        }
        try take(.task, &task); try take(.seed, &seed); try take(.hidden, &hidden)
        try take(.activation, &activation); try take(.batchNorm, &batchNorm); try take(.dropout, &dropout)
        try take(.residual, &residual); try take(.zeroInitResidual, &zeroInitResidual); try take(.multiHead, &multiHead)
        try take(.matchMultiHeadParameters, &matchMultiHeadParameters); try take(.initialization, &initialization)
        try take(.optimizer, &optimizer); try take(.lr, &lr); try take(.momentum, &momentum)
        try take(.weightDecay, &weightDecay); try take(.beta1, &beta1); try take(.beta2, &beta2)
        try take(.adamEps, &adamEps); try take(.schedule, &schedule); try take(.stepSize, &stepSize)
        try take(.gamma, &gamma); try take(.decay, &decay); try take(.epochs, &epochs)
        try take(.batchSize, &batchSize); try take(.gradSteps, &gradSteps); try take(.data, &data)
        initFrom = try c.decodeIfPresent(String.self, forKey: .initFrom)
        try take(.freeze, &freeze); try take(.reinit, &reinit)
        teacher = try c.decodeIfPresent(String.self, forKey: .teacher)
        try take(.temperature, &temperature); try take(.alpha, &alpha)
    }
}
