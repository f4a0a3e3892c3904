// Quiet defaults for the whole suite; tests that read logs or metrics set their own levels first.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// No outcome events (EventBridge PutEvents) unless a test asks for them: tests that start their
// own emulator without its EventBridge would otherwise send them to AWS. The notification tests
// set EVENT_BUS_NAME and AWS_ENDPOINT_URL_EVENTBRIDGE themselves (test/helpers/event-sink.ts).
process.env.EVENT_BUS_NAME ??= 'none';
process.env.AWS_REGION ??= 'us-east-1';
// The SDK warns once per process that Node 20 loses support in 2027; in test processes that is noise
// (the Lambda runs nodejs24.x). The product itself never sets this.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The failed-step look-up reads CloudTrail: a test that starts an emulator points
// AWS_ENDPOINT_URL_CLOUDTRAIL at it. Elsewhere it goes to a closed loopback port (refused at once),
// never to AWS: the look-up then ends as `failed` and the step stays unknown.
process.env.AWS_ENDPOINT_URL_CLOUDTRAIL ??= 'http://127.0.0.1:9';
// Most suites seed a pending version moments before they act (through public calls, which cannot
// back-date it, and with no failure record) and test the mechanics of cancel, discard and
// promote, as the remediator did before it required evidence. They run with no grace period and
// UNKNOWN_STEP_ACTION=discard, settings an operator may choose. The production defaults (3600 s,
// hold) are proven where evidence is the subject: test/unit/remediation/ (the rules and the
// property) and test/integration/evidence.test.ts (through the bundle and the CLI), which set
// them explicitly.
process.env.ROTATION_GRACE_SECONDS ??= '0';
process.env.UNKNOWN_STEP_ACTION ??= 'discard';
