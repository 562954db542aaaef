<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AgentPage</name>
    <message>
        <location filename="../qml/Kiosk/Screens/AgentPage.qml" line="24"/>
        <source>代办员登录</source>
        <translation>Agent sign-in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/AgentPage.qml" line="28"/>
        <source>代办员 %1，请输入您的密码。</source>
        <translation>Agent %1, please enter your PIN.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/AgentPage.qml" line="29"/>
        <source>请代办员把本人身份证放在读卡区。</source>
        <translation>Agent: please place your own ID card on the reader.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/AgentPage.qml" line="72"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/AgentPage.qml" line="72"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/AgentPage.qml" line="85"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CareConfirmScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="17"/>
        <source>请确认您的评价</source>
        <translation>Please confirm your rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="50"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="60"/>
        <source>原因：%1</source>
        <translation>Reasons: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="75"/>
        <source>公开评价</source>
        <translation>Public rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="83"/>
        <source>不公开评价</source>
        <translation>Not public</translation>
    </message>
    <message>
        <source>已选%1项原因</source>
        <translation type="vanished">%1 reason(s) selected</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="115"/>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareConfirmScreen.qml" line="107"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>CareReasonsScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/CareReasonsScreen.qml" line="19"/>
        <source>哪里做得不好？可多选</source>
        <translation>What was not good? Choose all that apply</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareReasonsScreen.qml" line="91"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CareReasonsScreen.qml" line="98"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>CaseCard</name>
    <message>
        <location filename="../qml/Kiosk/Components/CaseCard.qml" line="39"/>
        <source>%1 · %2号窗口</source>
        <translation>%1 · Window %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Components/CaseCard.qml" line="47"/>
        <source>经办人：%1（工号 %2）  办结：%3</source>
        <translation>Staff: %1 (No. %2)  Completed: %3</translation>
    </message>
</context>
<context>
    <name>CaseListScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/CaseListScreen.qml" line="17"/>
        <source>请选择要评价的办件</source>
        <translation>Choose the case to rate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CaseListScreen.qml" line="19"/>
        <source>%1，您好。以下是您近期办理的业务。</source>
        <translation>Hello, %1. These are your recent cases.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CaseListScreen.qml" line="20"/>
        <source>以下是查到的办件。</source>
        <translation>These are the cases found.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CaseListScreen.qml" line="83"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
<context>
    <name>CommentScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/CommentScreen.qml" line="18"/>
        <source>写下您的意见</source>
        <translation>Tell us what went wrong</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CommentScreen.qml" line="18"/>
        <source>留言（可不填）</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CommentScreen.qml" line="45"/>
        <source>点上面的短语，或用下面的键盘输入</source>
        <translation>Tap a phrase above, or type with the keyboard below</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CommentScreen.qml" line="57"/>
        <source>%1/%2字</source>
        <translation>%1/%2 characters</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CommentScreen.qml" line="74"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/CommentScreen.qml" line="75"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="15"/>
        <source>请确认您的评价</source>
        <translation>Please confirm your rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="46"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>已选%1项原因</source>
        <translation type="vanished">%1 reason(s) selected</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="56"/>
        <source>原因：%1</source>
        <translation>Reasons: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="65"/>
        <source>留言：%1</source>
        <translation>Comment: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="82"/>
        <source>公开评价</source>
        <translation>Publish my rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="90"/>
        <source>不公开评价</source>
        <translation>Do not publish</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="97"/>
        <source>公开：评价内容（不含姓名）可在政务服务网展示。</source>
        <translation>Public: the rating (without your name) may be shown on the government service website.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="98"/>
        <source>不公开：评价仅用于内部核查和整改，不对外展示。</source>
        <translation>Not public: used only for internal review and improvement.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="122"/>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="128"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ConfirmScreen.qml" line="133"/>
        <source>补充意见（可选）</source>
        <translation>Add details (optional)</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <location filename="../qml/Kiosk/App/DemoPanel.qml" line="28"/>
        <source>演示</source>
        <translation>Demo</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/DemoPanel.qml" line="47"/>
        <source>演示面板：模拟刷身份证</source>
        <translation>Demo panel: simulate an ID card</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/DemoPanel.qml" line="64"/>
        <source>模拟扫码（回执二维码）</source>
        <translation>Simulate a scan (receipt QR)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/DemoPanel.qml" line="83"/>
        <source>收起</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="86"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="87"/>
        <source>状态与日志</source>
        <translation>Status and log</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="39"/>
        <source>设备维护</source>
        <translation>Device maintenance</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="61"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="61"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="70"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="85"/>
        <source>设备诊断</source>
        <translation>Device diagnostics</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="110"/>
        <source>测试读卡</source>
        <translation>Test card read</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="112"/>
        <source>打印测试凭条</source>
        <translation>Print a test receipt</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="164"/>
        <source>扫码枪：请扫描任意二维码，内容将显示在这里</source>
        <translation>Scanner: scan any QR code; its content appears here</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="141"/>
        <source>未配置摄像头</source>
        <translation>No camera configured</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="88"/>
        <source>退出维护</source>
        <translation>Leave maintenance</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="179"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="183"/>
        <source>再次点击确认退出</source>
        <translation>Tap again to exit</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="183"/>
        <source>退出程序（维护）</source>
        <translation>Exit the kiosk (maintenance)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/DiagnosticsPage.qml" line="199"/>
        <source>最近日志（身份证号等已脱敏）</source>
        <translation>Recent log (ID numbers and the like masked)</translation>
    </message>
</context>
<context>
    <name>FollowUpScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml"/>
        <source>公开评价</source>
        <translation>Public</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml"/>
        <source>不公开评价</source>
        <translation>Not public</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="24"/>
        <source>整改反馈</source>
        <translation>Follow-up on your complaint</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="29"/>
        <source>正在查询整改情况…</source>
        <translation>Looking up the follow-up…</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="63"/>
        <source>办件编号 %1</source>
        <translation>Case number %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="73"/>
        <source>处理状态：%1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="82"/>
        <source>答复部门：%1  %2</source>
        <translation>Replied by: %1  %2</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="92"/>
        <source>答复：%1</source>
        <translation>Reply: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="111"/>
        <source>您对整改结果满意吗？</source>
        <translation>Satisfied with the result?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="124"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="124"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="124"/>
        <source>基本满意</source>
        <translation>Acceptable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="124"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="124"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="136"/>
        <source>请告诉我们整改哪里还不到位</source>
        <translation>Please tell us what is still not right</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="182"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="183"/>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="191"/>
        <source>感谢您对整改结果的评价！</source>
        <translation>Thank you for rating the follow-up!</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="192"/>
        <source>您已评价过整改结果</source>
        <translation>You have already rated the follow-up</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="193"/>
        <source>暂无整改反馈</source>
        <translation>No follow-up yet</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="194"/>
        <source>暂时无法查询</source>
        <translation>Cannot look it up right now</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="195"/>
        <source>抱歉，出了点问题</source>
        <translation>Sorry, something went wrong</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="199"/>
        <source>已于 %1 评价。整改结果只能评价一次。</source>
        <translation>Rated on %1. The follow-up can be rated only once.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="203"/>
        <source>评价已保存，并将自动上报。</source>
        <translation>Your rating is saved and will be sent automatically.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/FollowUpScreen.qml" line="218"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="19"/>
        <source>政务服务好差评</source>
        <translation>Government service rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="60"/>
        <source>政务服务“好差评”</source>
        <translation>Government service rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="71"/>
        <source>您好，%1</source>
        <translation>Hello, %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="86"/>
        <location filename="../qml/Kiosk/App/Main.qml" line="128"/>
        <source>退出代办</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="86"/>
        <source>代办员登录</source>
        <translation>Agent sign-in</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="113"/>
        <source>代办模式 · 代办员 %1</source>
        <translation>Assisted mode · agent %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="187"/>
        <source>该办件已评价</source>
        <translation>Already rated</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="188"/>
        <source>%1
已于 %2 评价。一次服务只能评价一次。</source>
        <translation>%1
Rated on %2. Each service can be rated only once.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="195"/>
        <source>暂无可评价的办件</source>
        <translation>Nothing to rate</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="202"/>
        <source>抱歉，出了点问题</source>
        <translation>Sorry, something went wrong</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="203"/>
        <source>返回重试</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="211"/>
        <source>暂停评价</source>
        <translation>Rating paused</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="246"/>
        <source>● 在线 · 待上报 %1 条</source>
        <translation>● Online · %1 waiting to be sent</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="246"/>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="247"/>
        <source>○ 离线 · 评价保存在本机，联网后自动上报（%1 条）</source>
        <translation>○ Offline · %1 saved here, sent later</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="278"/>
        <source>政务服务便民热线 %1</source>
        <translation>Government service hotline %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="302"/>
        <source>%1 秒后返回首页，信息将清除</source>
        <translation>Returning to the start in %1 s; your information will be cleared</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/App/Main.qml" line="312"/>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>MessageScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/MessageScreen.qml" line="12"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/MessageScreen.qml" line="23"/>
        <source>如有疑问，请到服务窗口咨询，或拨打 %1。</source>
        <translation>For help, ask at a service window or call %1.</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <location filename="../qml/Kiosk/Components/OnScreenKeyboard.qml" line="49"/>
        <source>拼音</source>
        <translation>Pinyin</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Components/OnScreenKeyboard.qml" line="132"/>
        <source>空格</source>
        <translation>Space</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Components/OnScreenKeyboard.qml" line="140"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>PadScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml"/>
        <source>公开评价</source>
        <translation>Public</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml"/>
        <source>不公开评价</source>
        <translation>Not public</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="40"/>
        <source>请对我的服务进行评价</source>
        <translation>Please rate my service</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="41"/>
        <source>业务办理完成后，评价按钮会出现在这里。一次服务评价一次。</source>
        <translation>When your business is done, the rating buttons appear here. One rating per service.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="48"/>
        <source>您对这次服务满意吗？</source>
        <translation>How satisfied are you with this service?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="52"/>
        <source>办理事项：%1</source>
        <translation>Service: %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="66"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="66"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="66"/>
        <source>基本满意</source>
        <translation>Acceptable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="66"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="66"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="81"/>
        <source>请告诉我们哪里做得不好</source>
        <translation>Please tell us what was not good</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="85"/>
        <source>请至少选择一项。您的意见将转交有关部门核实整改，并在规定时间内回访。</source>
        <translation>Choose at least one. Your feedback goes to the department, which will look into it, put it right and contact you within the set time.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="140"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="141"/>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="156"/>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="157"/>
        <source>本次服务已评价</source>
        <translation>This service has already been rated</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="158"/>
        <source>抱歉，出了点问题</source>
        <translation>Sorry, something went wrong</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="161"/>
        <source>评价已保存。您的意见会帮助我们改进服务。</source>
        <translation>Your rating is saved. It helps us improve our service.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="162"/>
        <source>已于 %1 评价。一次服务只能评价一次。</source>
        <translation>Rated on %1. Each service can be rated only once.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/PadScreen.qml" line="170"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>Qr</name>
    <message>
        <location filename="../kiosk/qrpayload.cpp" line="145"/>
        <source>没有读到二维码内容，请将二维码对准扫描口重试。</source>
        <translation>No QR code was read. Hold the code under the scanner and try again.</translation>
    </message>
    <message>
        <location filename="../kiosk/qrpayload.cpp" line="149"/>
        <source>无法识别此二维码。请扫描受理通知书或办结回执上的二维码，或输入办件编号。</source>
        <translation>This QR code is not recognised. Scan the code on your acceptance notice or completion receipt, or enter the case number.</translation>
    </message>
</context>
<context>
    <name>QuestionsScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/QuestionsScreen.qml" line="18"/>
        <source>几个小问题（可跳过）</source>
        <translation>A few short questions (optional)</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/QuestionsScreen.qml" line="51"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/QuestionsScreen.qml" line="51"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/QuestionsScreen.qml" line="73"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/QuestionsScreen.qml" line="74"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>RateScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="37"/>
        <source>您对这次服务满意吗？</source>
        <translation>How satisfied are you with this service?</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="50"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="50"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="50"/>
        <source>基本满意</source>
        <translation>Acceptable</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="50"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="50"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="37"/>
        <source>请办事人本人选择评价</source>
        <translation>The applicant chooses the rating personally</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/RateScreen.qml" line="68"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ReasonsScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/ReasonsScreen.qml" line="16"/>
        <source>请告诉我们哪里做得不好</source>
        <translation>Please tell us what was not good</translation>
    </message>
    <message>
        <source>可多选。您的意见将转交%1核实整改，并在规定时间内回访您。</source>
        <translation type="vanished">Choose all that apply. %1 will look into it, put it right and contact you within the set time.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ReasonsScreen.qml" line="19"/>
        <source>可多选，或点“我来写意见”。您的意见将转交%1核实整改，并在规定时间内回访您。</source>
        <translation>Choose any that apply, or tap “Write my own”. Your feedback goes to %1, which will look into it, put it right and contact you within the set time.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ReasonsScreen.qml" line="57"/>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ReasonsScreen.qml" line="59"/>
        <source>我来写意见</source>
        <translation>Write my own</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ReasonsScreen.qml" line="65"/>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
</context>
<context>
    <name>Rules</name>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="157"/>
        <source>请先选择要评价的办件。</source>
        <translation>Please choose a case to rate first.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="159"/>
        <source>请先选择满意程度。</source>
        <translation>Please choose how satisfied you are first.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="161"/>
        <source>差评请至少选择一项原因，或写下您的意见。</source>
        <translation>For a poor rating, choose at least one reason or write a comment.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="163"/>
        <source>所选原因已失效，请重新选择。</source>
        <translation>The selected reason is no longer valid. Please choose again.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="165"/>
        <source>留言最多500字，请精简后再提交。</source>
        <translation>Comments are limited to 500 characters. Please shorten it.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="167"/>
        <source>问卷答案无效，请重新选择。</source>
        <translation>That answer is not valid. Please choose again.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="169"/>
        <source>请选择是否公开评价。</source>
        <translation>Please choose whether to publish your rating.</translation>
    </message>
</context>
<context>
    <name>Satisfaction</name>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="177"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="178"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="179"/>
        <source>基本满意</source>
        <translation>Acceptable</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="180"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluation.cpp" line="181"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/ScanScreen.qml" line="15"/>
        <source>请出示二维码</source>
        <translation>Show your QR code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ScanScreen.qml" line="16"/>
        <source>将受理通知书或办结回执上的二维码对准下方摄像头，或放在扫码口下。</source>
        <translation>Hold the QR code on your notice or receipt in front of the camera below, or under the scanner.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ScanScreen.qml" line="47"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ScrollHint</name>
    <message>
        <location filename="../qml/Kiosk/Components/ScrollHint.qml" line="24"/>
        <source>▲ 向上滑动，查看更多</source>
        <translation>▲ Swipe up for more</translation>
    </message>
</context>
<context>
    <name>SearchingScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/SearchingScreen.qml" line="32"/>
        <source>正在查询您的办件…</source>
        <translation>Looking up your cases…</translation>
    </message>
</context>
<context>
    <name>StaffCard</name>
    <message>
        <location filename="../qml/Kiosk/Components/StaffCard.qml" line="51"/>
        <source>窗口工作人员</source>
        <translation>Window staff</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Components/StaffCard.qml" line="60"/>
        <source>工号 %1</source>
        <translation>Staff No. %1</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Components/StaffCard.qml" line="67"/>
        <source>%1号窗口</source>
        <translation>Window %1</translation>
    </message>
</context>
<context>
    <name>StartScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="22"/>
        <source>请对您办理的业务进行评价</source>
        <translation>Please rate the service you received</translation>
    </message>
    <message>
        <source>选择一种方式找到您的办件，评价只需一步。</source>
        <translation type="vanished">Find your case in one of these ways; rating takes one tap.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="24"/>
        <source>选择一种方式找到您的办件。</source>
        <translation>Choose a way to find your case.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="46"/>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="68"/>
        <source>刷身份证</source>
        <translation>Use your ID card</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="76"/>
        <source>请将身份证放在下方读卡区</source>
        <translation>Place your ID card on the reader below</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="76"/>
        <source>请把身份证放在读卡区 ▼</source>
        <translation>Place your ID card on the reader ▼</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="88"/>
        <source>请把身份证放在读卡区</source>
        <translation>Place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="97"/>
        <source>扫描二维码</source>
        <translation>Scan a QR code</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="98"/>
        <source>受理通知书或办结回执上的二维码</source>
        <translation>The QR code on your notice or receipt</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="106"/>
        <source>输入办件编号</source>
        <translation>Enter a case number</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="107"/>
        <source>办件编号和申请人姓名</source>
        <translation>Case number and applicant name</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="119"/>
        <source>关怀模式：已开启</source>
        <translation>Large-text mode: on</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="119"/>
        <source>关怀模式（大字）</source>
        <translation>Large-text mode</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="131"/>
        <source>您的信息仅用于本次评价，离开后屏幕上的信息自动清除。</source>
        <translation>Your information is used only for this rating and is cleared from the screen when you leave.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/StartScreen.qml" line="138"/>
        <source>本中心本月好评率 %1，共 %2 次评价</source>
        <translation>This centre this month: %1 satisfied, %2 ratings</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="42"/>
        <source>提交成功，感谢您的评价！</source>
        <translation>Submitted. Thank you for your rating!</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="45"/>
        <source>评价编号：%1
评价时间：%2</source>
        <translation>Rating number: %1
Time: %2</translation>
    </message>
    <message>
        <source>您的意见已记录，相关部门将核实整改并回访。凭条上的二维码可查询处理结果。</source>
        <translation type="vanished">Your feedback is recorded. The department will look into it and contact you. Use the QR code on the receipt to follow up.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="51"/>
        <source>评价已保存在本机，并将自动上报；网络中断时会在恢复后补报。</source>
        <translation>Your rating is saved on this terminal and will be sent automatically, also after a network outage.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="52"/>
        <source>您的意见已记录，相关部门将核实整改并回访。</source>
        <translation>Your feedback is recorded; the department will look into it, put it right and contact you.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="53"/>
        <source>您的意见已记录，相关部门将核实整改并回访。扫描二维码或凭条上的二维码，可查询处理结果。</source>
        <translation>Your feedback is recorded; the department will look into it, put it right and contact you. Scan the QR code here or on the receipt to follow the result.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="74"/>
        <source>打印凭条</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/ThanksScreen.qml" line="82"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>TypeCaseScreen</name>
    <message>
        <location filename="../qml/Kiosk/Screens/TypeCaseScreen.qml" line="30"/>
        <source>输入办件编号和姓名</source>
        <translation>Enter case number and name</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/TypeCaseScreen.qml" line="31"/>
        <source>办件编号印在受理通知书或办结回执上。</source>
        <translation>The case number is printed on your acceptance notice or completion receipt.</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/TypeCaseScreen.qml" line="34"/>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/TypeCaseScreen.qml" line="34"/>
        <source>申请人姓名</source>
        <translation>Applicant name</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/TypeCaseScreen.qml" line="90"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/Kiosk/Screens/TypeCaseScreen.qml" line="95"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::DeviceManager</name>
    <message>
        <location filename="../hardware/devicemanager.cpp" line="110"/>
        <source>%1未连接</source>
        <translation>%1 not connected</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::DeviceState</name>
    <message>
        <location filename="../hardware/devicestate.cpp" line="29"/>
        <source>身份证阅读器</source>
        <translation>ID card reader</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="30"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="31"/>
        <source>扫码器</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="32"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="40"/>
        <source>未连接</source>
        <translation>not connected</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="41"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="42"/>
        <source>工作中</source>
        <translation>busy</translation>
    </message>
    <message>
        <location filename="../hardware/devicestate.cpp" line="43"/>
        <source>故障</source>
        <translation>fault</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::IdCardService</name>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="69"/>
        <source>请将身份证放在读卡区</source>
        <translation>Please place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="97"/>
        <location filename="../hardware/idcard/idcardworker.cpp" line="133"/>
        <source>身份证阅读器未连接</source>
        <translation>ID card reader not connected</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="136"/>
        <source>身份证阅读器通信故障</source>
        <translation>ID card reader communication fault</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="141"/>
        <source>身份证阅读器无响应</source>
        <translation>ID card reader not responding</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="147"/>
        <source>身份证阅读器数据校验错误</source>
        <translation>ID card reader data check error</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="152"/>
        <location filename="../hardware/idcard/idcardworker.cpp" line="163"/>
        <source>读卡失败，请重新放置身份证</source>
        <translation>The card could not be read. Please place your ID card again.</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="189"/>
        <source>正在读卡</source>
        <translation>reading card</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardworker.cpp" line="216"/>
        <source>无法识别的证件信息</source>
        <translation>The card data could not be recognised</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::IdCardTextCodec</name>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="68"/>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="69"/>
        <source>外国人永久居留身份证</source>
        <translation>Foreign permanent resident ID card</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="70"/>
        <source>港澳台居民居住证</source>
        <translation>Residence permit for Hong Kong, Macao and Taiwan residents</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="91"/>
        <source>汉</source>
        <translation>Han</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="91"/>
        <source>蒙古</source>
        <translation>Mongol</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="92"/>
        <source>回</source>
        <translation>Hui</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="92"/>
        <source>藏</source>
        <translation>Tibetan</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="93"/>
        <source>维吾尔</source>
        <translation>Uyghur</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="93"/>
        <source>苗</source>
        <translation>Miao</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="94"/>
        <source>彝</source>
        <translation>Yi</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="94"/>
        <source>壮</source>
        <translation>Zhuang</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="95"/>
        <source>布依</source>
        <translation>Buyei</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="95"/>
        <source>朝鲜</source>
        <translation>Korean</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="96"/>
        <source>满</source>
        <translation>Manchu</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="96"/>
        <source>侗</source>
        <translation>Dong</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="97"/>
        <source>瑶</source>
        <translation>Yao</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="97"/>
        <source>白</source>
        <translation>Bai</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="98"/>
        <source>土家</source>
        <translation>Tujia</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="98"/>
        <source>哈尼</source>
        <translation>Hani</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="99"/>
        <source>哈萨克</source>
        <translation>Kazakh</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="99"/>
        <source>傣</source>
        <translation>Dai</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="100"/>
        <source>黎</source>
        <translation>Li</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="100"/>
        <source>傈僳</source>
        <translation>Lisu</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="101"/>
        <source>佤</source>
        <translation>Va</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="101"/>
        <source>畲</source>
        <translation>She</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="102"/>
        <source>高山</source>
        <translation>Gaoshan</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="102"/>
        <source>拉祜</source>
        <translation>Lahu</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="103"/>
        <source>水</source>
        <translation>Shui</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="103"/>
        <source>东乡</source>
        <translation>Dongxiang</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="104"/>
        <source>纳西</source>
        <translation>Naxi</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="104"/>
        <source>景颇</source>
        <translation>Jingpo</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="105"/>
        <source>柯尔克孜</source>
        <translation>Kyrgyz</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="105"/>
        <source>土</source>
        <translation>Tu</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="106"/>
        <source>达斡尔</source>
        <translation>Daur</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="106"/>
        <source>仫佬</source>
        <translation>Mulao</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="107"/>
        <source>羌</source>
        <translation>Qiang</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="107"/>
        <source>布朗</source>
        <translation>Blang</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="108"/>
        <source>撒拉</source>
        <translation>Salar</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="108"/>
        <source>毛南</source>
        <translation>Maonan</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="109"/>
        <source>仡佬</source>
        <translation>Gelao</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="109"/>
        <source>锡伯</source>
        <translation>Xibe</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="110"/>
        <source>阿昌</source>
        <translation>Achang</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="110"/>
        <source>普米</source>
        <translation>Pumi</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="111"/>
        <source>塔吉克</source>
        <translation>Tajik</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="111"/>
        <source>怒</source>
        <translation>Nu</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="112"/>
        <source>乌孜别克</source>
        <translation>Uzbek</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="112"/>
        <source>俄罗斯</source>
        <translation>Russian</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="113"/>
        <source>鄂温克</source>
        <translation>Evenki</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="113"/>
        <source>德昂</source>
        <translation>De&apos;ang</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="114"/>
        <source>保安</source>
        <translation>Bonan</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="114"/>
        <source>裕固</source>
        <translation>Yugur</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="115"/>
        <source>京</source>
        <translation>Gin</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="115"/>
        <source>塔塔尔</source>
        <translation>Tatar</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="116"/>
        <source>独龙</source>
        <translation>Derung</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="116"/>
        <source>鄂伦春</source>
        <translation>Oroqen</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="117"/>
        <source>赫哲</source>
        <translation>Hezhen</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="117"/>
        <source>门巴</source>
        <translation>Monba</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="118"/>
        <source>珞巴</source>
        <translation>Lhoba</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="118"/>
        <source>基诺</source>
        <translation>Jino</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="127"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="129"/>
        <source>外国血统中国籍人士</source>
        <translation>Chinese citizen of foreign origin</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="136"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="138"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="140"/>
        <source>未知</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/idcardtextcodec.cpp" line="142"/>
        <source>未说明</source>
        <translation>Not stated</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::QrCamera</name>
    <message>
        <location filename="../hardware/camera/qrcamera.cpp" line="187"/>
        <source>无法打开摄像头：%1</source>
        <translation>Cannot open the camera: %1</translation>
    </message>
    <message>
        <location filename="../hardware/camera/qrcamera.cpp" line="212"/>
        <source>摄像头画面中断</source>
        <translation>Camera picture lost</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::Receipt</name>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="47"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="48"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="49"/>
        <source>基本满意</source>
        <translation>Acceptable</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="50"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="51"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="97"/>
        <source>政务服务“好差评”</source>
        <translation>Government service rating</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="98"/>
        <source>评价凭条</source>
        <translation>Rating receipt</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="105"/>
        <source>（工号%1）</source>
        <translation>(staff no. %1)</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="112"/>
        <location filename="../hardware/printer/receipt.cpp" line="125"/>
        <source>扫码查看评价处理进度</source>
        <translation>Scan to follow up your rating</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receipt.cpp" line="115"/>
        <source>本凭条不含身份证号码等个人敏感信息，请妥善保管。</source>
        <translation>This receipt holds no ID number or other sensitive personal data. Please keep it.</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::ReceiptPrinter</name>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="276"/>
        <source>打印纸已用完</source>
        <translation>Out of paper</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="277"/>
        <source>打印机盖未关闭</source>
        <translation>Printer cover open</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="278"/>
        <source>打印机离线</source>
        <translation>Printer offline</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="279"/>
        <source>切纸器故障</source>
        <translation>Cutter fault</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="280"/>
        <source>未连接打印机</source>
        <translation>Printer not connected</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="281"/>
        <source>打印机无应答</source>
        <translation>Printer not responding</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="282"/>
        <source>打印超时</source>
        <translation>Printing timed out</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="283"/>
        <source>打印机通信错误</source>
        <translation>Printer communication error</translation>
    </message>
    <message>
        <location filename="../hardware/printer/receiptprinter.cpp" line="284"/>
        <source>凭条内容无效</source>
        <translation>Invalid receipt content</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::SamProtocol</name>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="195"/>
        <source>操作成功 (success)</source>
        <translation>Success</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="196"/>
        <source>证/卡中此项无内容 (item is empty on the card)</source>
        <translation>Item is empty on the card</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="197"/>
        <source>寻找证/卡成功 (card found)</source>
        <translation>Card found</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="198"/>
        <source>接收业务终端数据的校验和错 (checksum error in data from host)</source>
        <translation>Checksum error in data from host</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="199"/>
        <source>接收业务终端数据的长度错 (length error in data from host)</source>
        <translation>Length error in data from host</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="200"/>
        <source>接收业务终端的命令错误 (command error)</source>
        <translation>Command error</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="201"/>
        <source>越权操作 (unauthorized operation)</source>
        <translation>Unauthorized operation</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="202"/>
        <source>无法识别的错误 (unrecognised error)</source>
        <translation>Unrecognised error</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="203"/>
        <source>证/卡认证机具失败 (card failed to authenticate the SAM)</source>
        <translation>Card failed to authenticate the sam</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="204"/>
        <source>机具认证证/卡失败 (SAM failed to authenticate the card)</source>
        <translation>Sam failed to authenticate the card</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="205"/>
        <source>信息验证错误 (information verification error)</source>
        <translation>Information verification error</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="206"/>
        <source>无法识别的证/卡类型 (unrecognised card type)</source>
        <translation>Unrecognised card type</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="207"/>
        <source>读证/卡操作失败 (card read failed)</source>
        <translation>Card read failed</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="208"/>
        <source>取随机数失败 (get-random failed)</source>
        <translation>Get-random failed</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="209"/>
        <source>SAM自检失败，不能接收命令 (SAM self-test failed)</source>
        <translation>Sam self-test failed</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="210"/>
        <source>SAM未经授权，无法使用 (SAM not authorised)</source>
        <translation>Sam not authorised</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="211"/>
        <source>寻找证/卡失败，无卡 (find card failed: no card)</source>
        <translation>Find card failed: no card</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="212"/>
        <source>选取证/卡失败 (select card failed)</source>
        <translation>Select card failed</translation>
    </message>
    <message>
        <location filename="../hardware/idcard/samprotocol.cpp" line="215"/>
        <source>未知状态码 0x%1 (unknown status code)</source>
        <translation>Unknown status code 0x%1</translation>
    </message>
</context>
<context>
    <name>hcp::hardware::ScannerService</name>
    <message>
        <location filename="../hardware/scanner/scannerworker.cpp" line="75"/>
        <location filename="../hardware/scanner/scannerworker.cpp" line="121"/>
        <source>扫码器未连接</source>
        <translation>Scanner not connected</translation>
    </message>
    <message>
        <location filename="../hardware/scanner/scannerworker.cpp" line="123"/>
        <source>扫码器通信故障</source>
        <translation>Scanner communication fault</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::AgentDesk</name>
    <message>
        <location filename="../kiosk/app/agentdesk.cpp" line="102"/>
        <source>暂时无法核对代办员身份证（未连接服务中心），请稍后再试。</source>
        <translation>The agent&apos;s ID card cannot be checked right now (no connection to the service centre). Please try again later.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/agentdesk.cpp" line="113"/>
        <source>此身份证不是本机登记的代办员。办事人本人请直接在首页刷身份证。</source>
        <translation>This ID card is not a registered agent of this kiosk. Applicants: please place your card on the start screen.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/agentdesk.cpp" line="153"/>
        <source>密码错误次数过多，请%1秒后再试。</source>
        <translation>Too many wrong PINs. Please try again in %1 s.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/agentdesk.cpp" line="155"/>
        <source>密码不正确，请重新输入。</source>
        <translation>Wrong PIN, please try again.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/agentdesk.cpp" line="158"/>
        <source>该代办员尚未设置密码，请联系管理人员。</source>
        <translation>No PIN is set for this agent. Please contact the administrator.</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::Devices</name>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="71"/>
        <source>身份证信息校验未通过，请重新放置身份证，或到服务窗口咨询。</source>
        <translation>The ID card data failed the check. Please place the card again, or ask at a service window.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="99"/>
        <source>%1号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="171"/>
        <source>摄像头模块无法加载</source>
        <translation>Camera module cannot be loaded</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="137"/>
        <location filename="../kiosk/app/devices.cpp" line="217"/>
        <source>不可打印</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="134"/>
        <location filename="../kiosk/app/devices.cpp" line="218"/>
        <source>纸将用完</source>
        <translation>Paper nearly out</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="137"/>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="137"/>
        <source>纸仓盖打开</source>
        <translation>paper cover open</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="218"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="235"/>
        <source>打印测试</source>
        <translation>Print test</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="236"/>
        <source>设备维护</source>
        <translation>Device maintenance</translation>
    </message>
    <message>
        <location filename="../kiosk/app/devices.cpp" line="238"/>
        <source>维护人员</source>
        <translation>Maintenance staff</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::Diagnostics</name>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="29"/>
        <source>读卡成功：%1 %2（%3）%4</source>
        <translation>Card read: %1 %2 (%3) %4</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="31"/>
        <source>校验位正确</source>
        <translation>check digit valid</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="31"/>
        <source>校验位错误</source>
        <translation>check digit invalid</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="36"/>
        <source>未读到身份证（请确认已放在读卡区）</source>
        <translation>No ID card read (is it on the reader?)</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="41"/>
        <source>扫码内容：%1</source>
        <translation>Scanned: %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="47"/>
        <source>摄像头识别：%1</source>
        <translation>Camera decoded: %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="51"/>
        <source>打印机状态：%1</source>
        <translation>Printer status: %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="55"/>
        <source>测试凭条已打印</source>
        <translation>Test receipt printed</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="55"/>
        <source>测试打印失败：%1</source>
        <translation>Test print failed: %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="207"/>
        <source>请输入维护密码</source>
        <translation>Please enter the maintenance PIN</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="207"/>
        <location filename="../kiosk/app/diagnostics.cpp" line="240"/>
        <source>本机未配置维护密码</source>
        <translation>No maintenance PIN is configured on this kiosk</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="236"/>
        <source>密码错误次数过多，请 %1 秒后再试</source>
        <translation>Too many wrong PINs, try again in %1 s</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="237"/>
        <source>密码错误</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="115"/>
        <source>%1 秒前</source>
        <translation>%1 s ago</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="117"/>
        <source>%1 分钟前</source>
        <translation>%1 min ago</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="118"/>
        <source>%1 小时前</source>
        <translation>%1 h ago</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="124"/>
        <source>中心：本机未注册，评价只保存在本机</source>
        <translation>Hub: this kiosk is not enrolled; ratings stay on this kiosk</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="125"/>
        <source>中心：已连接</source>
        <translation>Hub: connected</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="125"/>
        <source>中心：未连接</source>
        <translation>Hub: not connected</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="126"/>
        <source>，上次联系 %1</source>
        <translation>, last contact %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="126"/>
        <source>，本次启动后尚未联系</source>
        <translation>, no contact since start</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="128"/>
        <source>，错误：%1</source>
        <translation>, error: %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="135"/>
        <source>待上传：0 条</source>
        <translation>Waiting to upload: 0</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="136"/>
        <source>待上传：%1 条，最早一条已等待 %2 分钟</source>
        <translation>Waiting to upload: %1, the oldest for %2 min</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="270"/>
        <source>正在读卡…</source>
        <translation>Reading card…</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="142"/>
        <source>评价账本：尚无记录</source>
        <translation>Ledger: no entries yet</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="144"/>
        <source>评价账本：序号 %1</source>
        <translation>Ledger: sequence %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="145"/>
        <source>评价账本：序号 %1，哈希 %2…</source>
        <translation>Ledger: sequence %1, hash %2…</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="279"/>
        <source>正在打印测试凭条…</source>
        <translation>Printing test receipt…</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="151"/>
        <source>配置：本机默认</source>
        <translation>Configuration: local defaults</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="152"/>
        <source>配置：版本 %1</source>
        <translation>Configuration: version %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="154"/>
        <source>，已拒绝新配置：%1</source>
        <translation>, new configuration refused: %1</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="164"/>
        <source>本机未注册，无法同步</source>
        <translation>Not enrolled: nothing to sync</translation>
    </message>
    <message>
        <location filename="../kiosk/app/diagnostics.cpp" line="167"/>
        <source>已开始同步（%1）</source>
        <translation>Sync started (%1)</translation>
    </message>
    <message>
        <location filename="../kiosk/app/kioskservices.cpp" line="605"/>
        <location filename="../kiosk/tools/screentourmain.cpp" line="72"/>
        <source>软件更新：本机未配置</source>
        <translation>Software updates: not configured on this kiosk</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::EvaluationSession</name>
    <message>
        <source>本机存储空间不足，暂停评价。请到服务窗口评价，或拨打 %1。</source>
        <translation type="vanished">This terminal is low on storage and rating is paused. Please rate at a service window or call %1.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="255"/>
        <source>请输入办件编号和申请人姓名。</source>
        <translation>Please enter the case number and the applicant&apos;s name.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="260"/>
        <source>办件编号格式不正确。办件编号由6至50位字母或数字组成，见受理通知书。</source>
        <translation>That case number is not valid. It has 6 to 50 letters or digits; see your acceptance notice.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="335"/>
        <source>暂时无法按身份证查询（未连接服务中心）。请输入办件编号和姓名，或扫描回执上的二维码。</source>
        <translation>Lookup by ID card is not available right now (no connection to the service centre). Please enter the case number and name, or scan the QR code on your receipt.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="378"/>
        <source>已评价（%1）</source>
        <translation>Rated (%1)</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="380"/>
        <source>尚未办结，办结后可评价</source>
        <translation>Not completed yet; can be rated once completed</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="387"/>
        <source>M月d日</source>
        <comment>date format of a rating deadline</comment>
        <translation>d MMM</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="396"/>
        <source>网络暂时不通，未能查询到您的办件。请稍后再试。</source>
        <translation>The network is down for the moment and your case could not be looked up. Please try again later.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="398"/>
        <source>没有查到您名下可以评价的办件。办件办结后才能评价，刚办结的办件可能要稍等几分钟才能查到。</source>
        <translation>No case in your name can be rated. A case can be rated once it is completed; a case completed just now may take a few minutes to appear.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="400"/>
        <source>没有查到这个办件编号和姓名对应的办件。请核对受理通知书上的办件编号和办事人姓名。</source>
        <translation>No case matches this case number and name. Please check the case number on your acceptance notice and the applicant&apos;s name.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="402"/>
        <source>没有查到这个二维码对应的办件。请确认是本服务中心的回执或受理通知书，或改为输入办件编号。</source>
        <translation>No case matches this QR code. Please check that it is a receipt or acceptance notice of this service centre, or enter the case number instead.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="445"/>
        <source>该办件已超过评价期限（办结后%1个工作日内可评价）。</source>
        <translation>The rating period for this case has ended (cases can be rated within %1 working days of completion).</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="675"/>
        <source>抱歉，这次评价未能保存。本机已暂停评价并通知维护人员，请到服务窗口评价。</source>
        <translation>Sorry, this rating could not be saved. This terminal has paused rating and maintenance has been notified. Please rate at a service window.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="341"/>
        <source>这是代办员的身份证。请使用办事人本人的身份证。</source>
        <translation>This is the agent&apos;s ID card. Please use the applicant&apos;s own ID card.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="224"/>
        <source>本机暂停评价，已通知维护人员。请到服务窗口评价。</source>
        <translation>Rating is paused on this terminal and maintenance has been notified. Please rate at a service window.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="382"/>
        <source>已超过评价期限</source>
        <translation>Rating period has ended</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="387"/>
        <source>可评价，截止 %1</source>
        <translation>Can be rated until %1</translation>
    </message>
    <message>
        <source>网络暂时不通，未能查询到您的办件。请稍后再试，或到服务窗口咨询。</source>
        <translation type="vanished">The network is down, so your cases could not be looked up. Please try again later or ask at a service window.</translation>
    </message>
    <message>
        <source>未找到您的办件。请确认办件编号和姓名，或到服务窗口咨询。</source>
        <translation type="vanished">We could not find your case. Check the case number and name, or ask at a service window.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="414"/>
        <source>您的办件都已评价或已超过评价期限（办结后%1个工作日内可评价）。</source>
        <translation>All your cases are rated or past the rating period (%1 working days after completion).</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="444"/>
        <source>该办件尚未办结，办结后即可评价。</source>
        <translation>This case is not completed yet. You can rate it once it is.</translation>
    </message>
    <message>
        <source>该办件已超过评价期限（办结后%1个工作日内可评价）。如有意见请拨打 %2。</source>
        <translation type="vanished">The rating period for this case has ended (%1 working days after completion). For comments, call %2.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="517"/>
        <source>留言最多%1字，多出的部分未保留。</source>
        <translation>Comments are limited to %1 characters; the rest was not kept.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="537"/>
        <source>请至少选择一项原因。</source>
        <translation>Please choose at least one reason.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="547"/>
        <source>请至少选择一项原因，或点“我来写意见”。</source>
        <translation>Please choose at least one reason, or tap “Write my own”.</translation>
    </message>
    <message>
        <source>本机存储空间已满，这次评价未能保存。请到服务窗口评价，或拨打 %1。</source>
        <translation type="vanished">This terminal&apos;s storage is full and this rating could not be saved. Please rate at a service window or call %1.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="676"/>
        <source>系统暂时出现故障，这次评价未能保存。请点“返回重试”，或到服务窗口评价。</source>
        <translation>A system fault stopped this rating from being saved. Tap &quot;Try again&quot;, or rate at a service window.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="694"/>
        <source>正在打印凭条…</source>
        <translation>Printing your receipt…</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="704"/>
        <source>凭条已打印，请取走。</source>
        <translation>Your receipt is printed. Please take it.</translation>
    </message>
    <message>
        <location filename="../kiosk/evaluationsession.cpp" line="705"/>
        <source>凭条未能打印（%1）。评价已保存，请用手机扫描屏幕上的二维码。</source>
        <translation>The receipt could not be printed (%1). Your rating is saved; please scan the QR code on the screen with your phone.</translation>
    </message>
    <message>
        <source>%1 评价已保存。请用手机拍下屏幕上的二维码，以便查询处理结果。</source>
        <translation type="vanished">%1 Your rating is saved. Take a photo of the QR code on the screen to follow up.</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::FollowUpSession</name>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="26"/>
        <source>已受理，待整改</source>
        <translation>Received, awaiting action</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="28"/>
        <source>整改中</source>
        <translation>Being put right</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="30"/>
        <source>已整改并答复</source>
        <translation>Put right and replied</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="73"/>
        <source>本机未连接政务服务平台，暂时无法查询整改情况。请到服务窗口咨询，或拨打 %1。</source>
        <translation>This terminal is not connected to the government service platform, so the follow-up cannot be looked up. Please ask at a service window or call %1.</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="85"/>
        <source>网络暂时不通，未能查询到整改情况。请稍后再试，或拨打 %1。</source>
        <translation>The network is down, so the follow-up could not be looked up. Please try again later or call %1.</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="125"/>
        <source>该办件暂无整改反馈。差评提交后，有关部门会在规定时限内核实整改并答复，请稍后再查询。</source>
        <translation>There is no follow-up for this case yet. After a poor rating the department looks into it, puts it right and replies within the set time; please check again later.</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="143"/>
        <source>整改完成并答复后，即可在这里对整改结果进行评价。</source>
        <translation>Once it has been put right and replied to, you can rate the follow-up here.</translation>
    </message>
    <message>
        <location filename="../kiosk/followupsession.cpp" line="218"/>
        <source>系统暂时出现故障，这次评价未能保存。请到服务窗口评价，或拨打 %1。</source>
        <translation>A system fault stopped this rating from being saved. Please rate at a service window or call %1.</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::PadSession</name>
    <message>
        <location filename="../kiosk/padsession.cpp" line="190"/>
        <source>系统暂时出现故障，这次评价未能保存。请告知窗口工作人员，或拨打 %1。</source>
        <translation>A system fault stopped this rating from being saved. Please tell the staff at the window, or call %1.</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::UpdateController</name>
    <message>
        <location filename="../kiosk/app/updatecontroller.cpp" line="157"/>
        <source>软件版本 %1（%2 槽）：%3</source>
        <translation>Software %1 (slot %2): %3</translation>
    </message>
    <message>
        <location filename="../kiosk/app/updatecontroller.cpp" line="163"/>
        <source>，已下载 %1%</source>
        <translation>, %1% downloaded</translation>
    </message>
    <message>
        <location filename="../kiosk/app/updatecontroller.cpp" line="166"/>
        <source>，错误：%1</source>
        <translation>, error: %1</translation>
    </message>
</context>
<context>
    <name>hcp::kiosk::Voice</name>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="141"/>
        <source>请对您办理的业务进行评价。请把身份证放在读卡区，或扫描回执上的二维码。</source>
        <translation>Please rate the service you received. Place your ID card on the reader, or scan the QR code on your receipt.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="142"/>
        <source>请输入办件编号和申请人姓名。</source>
        <translation>Please enter the case number and the applicant&apos;s name.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="143"/>
        <source>请把受理通知书或办结回执上的二维码对准摄像头。</source>
        <translation>Hold the QR code on your acceptance notice or completion receipt up to the camera.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="144"/>
        <source>正在查询您的办件，请稍候。</source>
        <translation>Looking up your case, please wait.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="145"/>
        <source>请选择要评价的办件。</source>
        <translation>Please choose the case to rate.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="146"/>
        <source>您对这次服务满意吗？请选择：非常满意、满意、基本满意、不满意、非常不满意。</source>
        <translation>Were you satisfied with this service? Choose: very satisfied, satisfied, fairly satisfied, dissatisfied, very dissatisfied.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="147"/>
        <source>请选择不满意的原因，可以选多项。选好后点“下一步”。</source>
        <translation>Please choose what was wrong; several answers are possible. Then tap “Next”.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="148"/>
        <source>请回答以下问题，也可以跳过。</source>
        <translation>Please answer the following questions, or skip them.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="149"/>
        <source>您可以留言，也可以直接点“下一步”。</source>
        <translation>You may leave a comment, or tap “Next”.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="150"/>
        <source>请确认您的评价，然后点“提交评价”。</source>
        <translation>Please check your rating, then tap “Submit rating”.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="152"/>
        <source>提交成功，感谢您的评价！</source>
        <translation>Submitted. Thank you for your rating!</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="153"/>
        <source>该办件已评价。一次服务只能评价一次。</source>
        <translation>This case has been rated. Each service can be rated once.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="154"/>
        <source>暂无可评价的办件。</source>
        <translation>No case to rate.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="155"/>
        <source>抱歉，出了点问题。</source>
        <translation>Sorry, something went wrong.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="156"/>
        <source>暂停评价。请到服务窗口评价。</source>
        <translation>Rating is paused. Please rate at a service window.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="157"/>
        <source>这是您反映问题的整改情况。您可以对整改结果进行评价。</source>
        <translation>This is how the problem you reported was dealt with. You can rate the result.</translation>
    </message>
    <message>
        <location filename="../kiosk/app/voice.cpp" line="164"/>
        <source>%1秒后返回首页。如需继续，请点“继续”。</source>
        <translation>Back to the start screen in %1 seconds. To continue, tap “Continue”.</translation>
    </message>
</context>
</TS>
