import type { QueueName } from '../queues';

export interface TopicSubscription {
  queue: QueueName;
  topics: string[];
}

/** `order.*` matches `order.paid`; an exact topic matches itself. */
export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === topic) return true;
  return pattern.endsWith('.*') && topic.startsWith(pattern.slice(0, -1));
}

/** The queues an inbound topic goes to; topics nobody handles land in `maintenance`, which records them. */
export function queuesForTopic(topic: string, subscriptions: TopicSubscription[]): QueueName[] {
  const queues = subscriptions.filter((sub) => sub.topics.some((pattern) => topicMatches(pattern, topic))).map((sub) => sub.queue);
  return queues.length > 0 ? [...new Set(queues)] : ['maintenance'];
}

export const inboundJobId = (inboundEventId: number): string => `inbound-${inboundEventId}`;
