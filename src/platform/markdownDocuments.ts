/**
 * Which documents Illustrate works in: markdown, and MDX (VS Code has no MDX language of its own:
 * `.mdx` files are `mdx` with the MDX extension, else whatever the user associated them with).
 */
import * as vscode from 'vscode';

export const MARKDOWN_DOCUMENTS: vscode.DocumentSelector = [{ language: 'markdown' }, { language: 'mdx' }, { pattern: '**/*.mdx' }];

/** Whether Illustrate's providers and commands work in this document. */
export function isMarkdownDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' || document.languageId === 'mdx' || /\.mdx$/i.test(document.uri.path);
}
