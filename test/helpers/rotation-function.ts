/**
 * The rotation function the tests register to enable rotation with public calls: RotateSecret needs
 * a Lambda function ARN, and an implementation that checks it (moto, AWS) needs the function to
 * exist. Found by name, or created (with its IAM role) through the Lambda and IAM APIs, once per
 * region and process. Its handler does nothing, so a rotation started with it never completes.
 *
 * Endpoints: `AWS_ENDPOINT_URL_LAMBDA` and `AWS_ENDPOINT_URL_IAM`; when they are unset and
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` is a loopback address, that one (a local implementation such
 * as moto serves every service on one port); otherwise the SDK's own resolution.
 */
import { Buffer } from 'node:buffer';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';

/** Name of the function (and of its role). */
export const ROTATION_FUNCTION_NAME = 'rr-test-rotation-function';

const HANDLER_SOURCE = 'exports.handler = async () => {};\n';
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ],
});

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

const crc32 = (data: Buffer): number => {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};

/** A zip archive (stored, no compression) holding one file. */
export const zipOneFile = (name: string, content: string): Buffer => {
  const fileName = Buffer.from(name, 'utf8');
  const data = Buffer.from(content, 'utf8');
  // method, time, date, CRC-32, sizes: the same in the local and the central header
  const common = Buffer.alloc(18);
  common.writeUInt16LE(0x21, 4); // 1980-01-01
  common.writeUInt32LE(crc32(data), 6);
  common.writeUInt32LE(data.length, 10);
  common.writeUInt32LE(data.length, 14);
  const nameLength = Buffer.alloc(4);
  nameLength.writeUInt16LE(fileName.length, 0);
  const local = Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]),
    common,
    nameLength,
    fileName,
    data,
  ]);
  const central = Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0]),
    common,
    nameLength,
    Buffer.alloc(14), // comment length, disk, attributes, offset of the local header: all 0
    fileName,
  ]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, central, end]);
};

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

/** The endpoint for a service without one of its own: a loopback Secrets Manager's, if any. */
const endpointFor = (variable: string): { endpoint?: string } => {
  const own = process.env[variable];
  if (own !== undefined) return { endpoint: own };
  const secretsManager = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  return secretsManager !== undefined && LOOPBACK.test(secretsManager)
    ? { endpoint: secretsManager }
    : {};
};

const errorName = (error: unknown): string => (error as { name?: string }).name ?? '';

/** The role's ARN, created when missing (a concurrent creation counts as found). */
const roleArn = async (iam: IAMClient): Promise<string> => {
  const get = async () =>
    (await iam.send(new GetRoleCommand({ RoleName: ROTATION_FUNCTION_NAME }))).Role?.Arn ?? '';
  try {
    return await get();
  } catch (error) {
    if (errorName(error) !== 'NoSuchEntityException') throw error;
  }
  try {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: ROTATION_FUNCTION_NAME,
        AssumeRolePolicyDocument: TRUST_POLICY,
      })
    );
    return created.Role?.Arn ?? '';
  } catch (error) {
    if (errorName(error) !== 'EntityAlreadyExistsException') throw error;
    return get();
  }
};

/** Creates the function and lets Secrets Manager invoke it; a concurrent creation counts. */
const createFunction = async (lambda: LambdaClient, role: string): Promise<void> => {
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: ROTATION_FUNCTION_NAME,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: zipOneFile('index.js', HANDLER_SOURCE) },
        Description: 'rotation-remediator tests: a rotation function that does nothing',
      })
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: ROTATION_FUNCTION_NAME,
        StatementId: 'secrets-manager',
        Action: 'lambda:InvokeFunction',
        Principal: 'secretsmanager.amazonaws.com',
      })
    );
  } catch (error) {
    if (errorName(error) !== 'ResourceConflictException') throw error;
  }
};

const findOrCreate = async (region: string): Promise<string> => {
  const lambda = new LambdaClient({ region, ...endpointFor('AWS_ENDPOINT_URL_LAMBDA') });
  const iam = new IAMClient({ region, ...endpointFor('AWS_ENDPOINT_URL_IAM') });
  const get = async () =>
    (await lambda.send(new GetFunctionCommand({ FunctionName: ROTATION_FUNCTION_NAME })))
      .Configuration?.FunctionArn ?? '';
  try {
    return await get();
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    await createFunction(lambda, await roleArn(iam));
    return await get();
  } finally {
    lambda.destroy();
    iam.destroy();
  }
};

const arns = new Map<string, Promise<string>>();

/** The rotation function's ARN in `region`, found or created (once per region and process). */
export const rotationFunctionArn = (region: string): Promise<string> => {
  let arn = arns.get(region);
  if (arn === undefined) {
    arn = findOrCreate(region);
    arns.set(region, arn);
    arn.catch(() => arns.delete(region));
  }
  return arn;
};
