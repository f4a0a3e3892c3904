// Quiet defaults for the whole suite; tests that read logs or metrics set their own levels first.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'us-east-1';
// The SDK warns once per process that Node 20 loses support in 2027; in test processes that is noise
// (the Lambda runs nodejs24.x). The product itself never sets this.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
