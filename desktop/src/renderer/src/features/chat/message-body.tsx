import { useEffect, useState } from 'react';

type MarkdownModule = typeof import('./markdown.js');
let markdownModule: Promise<MarkdownModule> | null = null;
export function loadMarkdown(): Promise<MarkdownModule> {
  markdownModule ??= import('./markdown.js');
  return markdownModule;
}

const MENTION = /<@([0-9a-fA-F-]{36})>/g;

/** A message as markdown; plain text (with mentions as names) for the moment before the renderer loads. */
export function MessageBody({ body, nameOf }: { body: string; nameOf: (userId: string) => string }) {
  const [render, setRender] = useState<MarkdownModule['renderMarkdown'] | null>(null);
  useEffect(() => {
    let live = true;
    void loadMarkdown().then((module) => {
      if (live) setRender(() => module.renderMarkdown);
    });
    return () => {
      live = false;
    };
  }, []);
  if (!render) return <div className="markdown plain">{body.replace(MENTION, (_, id: string) => `@${nameOf(id.toLowerCase())}`)}</div>;
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: render(body, nameOf) }} />;
}
