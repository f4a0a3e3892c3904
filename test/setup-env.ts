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
