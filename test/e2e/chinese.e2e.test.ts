/**
 * The packaged extension with VS Code's display language set to Simplified Chinese (code-server's
 * `--locale zh-cn`, with a stand-in language pack: VS Code itself stays English, Illustrate speaks
 * Chinese): the command titles, a message, and the Image Studio's labels.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_KEY } from '../fake-gemini/server';
import { ROOT } from '../host/install';
import { E2ESession, Workbench } from './workbench';

describe('e2e: Illustrate in Simplified Chinese (display language zh-cn)', function () {
  this.timeout(180_000);
  const session = new E2ESession();
  let wb: Workbench;

  before(async () => {
    await session.start({ 'guide.md': '# 指南\n\n' }, {}, 'zh-cn');
    wb = session.wb;
  });

  session.hooks();

  it('commands, messages and the Image Studio are in Chinese', async () => {
    await wb.command('Illustrate: 设置 API 密钥');
    const input = wb.page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible' });
    assert.match(await input.innerText(), /粘贴你的 API 密钥。它保存在 VS Code 的机密存储中。它只会发送到你选择的端点 127\.0\.0\.1:\d+/);
    await wb.answer(FAKE_KEY);
    assert.match(await wb.notificationText('API 密钥已保存'), /Illustrate：API 密钥已保存到 VS Code 的机密存储。/);

    await wb.open('e2e/guide.md');
    await wb.keys('Control+End');
    await wb.command('Illustrate: 生成图片…');
    await wb.answer('一座被拦下的灯塔 [fake:blocked]');
    const message = await wb.notificationText('请求被拦截');
    assert.match(message, /没有图片：请求被拦截，原因：生成的图片被安全过滤器拦截（IMAGE_SAFETY）。/);

    await wb.command('Illustrate: 打开图像工作室');
    const studio = wb.studio();
    await studio.getByRole('heading', { name: '图像工作室' }).waitFor({ timeout: 30_000 });
    await studio.locator('#prompt textarea[aria-label="提示词"]').waitFor({ timeout: 30_000 });
    await studio.getByRole('button', { name: '生成', exact: true }).waitFor();
    await studio.getByText(/预估费用：≈ \$0\.\d+（1 个请求）/).waitFor();
    await wb.page.locator('.tab', { hasText: '图像工作室' }).first().waitFor();
    // The error toast is still up beside the Studio: one picture of both.
    await wb.notificationText('请求被拦截');
    const shot = await wb.screenshot('e2e-zh-cn');
    if (process.env.ILLUSTRATE_UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(ROOT, 'media', 'zh-cn.png'));
    }
    assert.ok(!fs.existsSync(path.join(session.workspace, 'e2e', 'images')), 'nothing was written for the blocked prompt');
  });
});
