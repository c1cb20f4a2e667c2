import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/**
 * Consumes orders the API queued: the order id is the `requestId` attribute the API sets (the id the
 * client got), the order is the message body. A record that fails is reported alone, so SQS retries
 * it (and moves it to the dead-letter queue after 3 receives) without redelivering the others.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const orderId = record.messageAttributes.requestId?.stringValue;
      if (!orderId) {
        throw new Error('message has no requestId attribute');
      }
      const order = parseOrder(record.body);
      await documents.send(new PutCommand({
        TableName: process.env.TABLE_NAME,
        // An order that is not a JSON object is kept, as REJECTED, with its text: nothing is lost.
        Item: order
          ? { ...order, orderId, status: 'ACCEPTED', acceptedAt: new Date().toISOString() }
          : { orderId, status: 'REJECTED', reason: 'the order is not a JSON object', body: record.body, rejectedAt: new Date().toISOString() },
        // Retries of a record that was already stored must not reset a later status.
        ConditionExpression: 'attribute_not_exists(orderId)',
      }));
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
        continue; // stored by an earlier attempt
      }
      console.log(JSON.stringify({ level: 'ERROR', message: 'order not processed', messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

function parseOrder(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
