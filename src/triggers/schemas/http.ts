/**
 * The schemas of HTTP events (../http.ts), loaded on the first HTTP event: the Powertools parser's
 * API Gateway REST, HTTP API and function URL schemas (per-schema entry points, built with classic
 * zod), without the fields that are never input, so those are never checked.
 */
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas/api-gateway';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import { z } from 'zod';

/** Fields of the Powertools schemas that are never input; left out so they are never checked. */
const ignoredRestFields = {
  headers: true,
  multiValueHeaders: true,
  queryStringParameters: true,
  multiValueQueryStringParameters: true,
  pathParameters: true,
  stageVariables: true,
} as const;
const ignoredV2Fields = {
  headers: true,
  cookies: true,
  rawQueryString: true,
  queryStringParameters: true,
  pathParameters: true,
  stageVariables: true,
} as const;

/** The body: absent, null or a string in every payload format; its content is checked afterwards. */
const bodyField = { body: z.string({ error: 'must be a string' }).nullish() };

/** REST API event (Powertools APIGatewayProxyEventSchema, without the fields that are never input). */
export const HttpRestEventSchema =
  APIGatewayProxyEventSchema.omit(ignoredRestFields).extend(bodyField);
/** HTTP API payload 2.0 event (Powertools APIGatewayProxyEventV2Schema, likewise trimmed). */
export const HttpApiV2EventSchema =
  APIGatewayProxyEventV2Schema.omit(ignoredV2Fields).extend(bodyField);
/** Lambda function URL event (Powertools LambdaFunctionUrlSchema, likewise trimmed). */
export const FunctionUrlEventSchema =
  LambdaFunctionUrlSchema.omit(ignoredV2Fields).extend(bodyField);
