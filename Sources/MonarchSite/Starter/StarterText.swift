/// The pages `monarch init` writes, in each language the built-in theme has strings for:
/// placeholder guidance for the editor who replaces them, about a fictional organisation.
/// Never legal advice; telephone numbers only from the fictional 555-01XX range.
struct StarterText: Sendable {
    struct Page: Sendable {
        var title: String
        var description: String
        var body: String
    }

    /// The language's name in its own script, for `languages:` in site.yaml.
    var name: String
    var siteTitle: String
    var home: Page
    var safety: Page
    /// `help/index.md`: the one section.
    var section: Page
    /// `help/contacts.md`: the section's one page.
    var contacts: Page
    var search: Page

    /// Paths (without `.md`) and their pages, with the front matter's `weight`.
    var pages: [(path: String, weight: Int, page: Page)] {
        [("index", 0, home), ("help/index", 1, section), ("help/contacts", 1, contacts),
         ("safety", 2, safety), ("search", 3, search)]
    }

    static let byLanguage: [String: StarterText] = [
        "en": english, "zh-hans": simplifiedChinese, "zh-hant": traditionalChinese, "ko": korean, "th": thai,
    ]

    static let english = StarterText(
        name: "English",
        siteTitle: "Example Peer Network",
        home: Page(
            title: "Welcome",
            description: "What this site is for and who writes it.",
            body: """
                This is the home page of your new site. Replace this text with a few sentences about your group: who you are, who this site is for, and what readers can find here.

                > **Please note:** this is placeholder text for a fictional organisation. It is not legal advice. Have people who know the law where you work check every page before readers rely on it.

                ## Need help now

                - **Peer support line (fictional):** call 555-0100.
                - More contacts are on [Get help](help/index.md).

                ## Stay safe while you read

                [Staying safe on this site](safety.md) explains the Exit this page button and how to read privately.
                """),
        safety: Page(
            title: "Staying safe on this site",
            description: "What the Exit this page button does, and how to read this site more privately.",
            body: """
                Someone may look at your phone or your browser history. Keep this page, and adapt it to your readers.

                ## The Exit this page button

                Every page has an **Exit this page** button at the top. It leads at once to a neutral website. On a computer, pressing the **Shift** key three times does the same.

                ## What the button does not do

                - It does not erase your browser history. Delete it yourself, or use a private window.
                - It cannot hide anything from someone who controls your phone or your internet connection.

                ## Read more privately

                - Use a private or incognito window, and close it when you are done.
                - Do not bookmark this site if someone else checks your phone.
                """),
        section: Page(
            title: "Get help",
            description: "Who to call, and how to add contacts of your own.",
            body: """
                A section is a folder of pages under `content/en/`, with an `index.md` like this one. The pages in the folder are listed below.

                Replace this text with what readers should know before they call anyone.
                """),
        contacts: Page(
            title: "Contacts",
            description: "Placeholder contacts to replace with your own.",
            body: """
                Replace these placeholder contacts with real ones, and check them often. The numbers below are fictional.

                - **Peer support line:** 555-0100, every evening.
                - **Legal clinic (placeholder):** 555-0101. Real legal questions need a real lawyer or legal worker.
                - **Health line (placeholder):** 555-0102.

                To print this page as a pamphlet, add `pamphlet: true` to its front matter.
                """),
        search: Page(
            title: "Search",
            description: "Find a page of this site by a word in it.",
            body: """
                Find a page by a word in it. What you type stays on your device: it is not sent anywhere.
                """))

    static let simplifiedChinese = StarterText(
        name: "简体中文",
        siteTitle: "示例互助网络",
        home: Page(
            title: "欢迎",
            description: "这个网站是做什么的，由谁编写。",
            body: """
                这是新网站的首页。请把这段文字换成几句关于你们团体的介绍：你们是谁，网站为谁而写，读者可以在这里找到什么。

                > **请注意：**这里是一个虚构机构的占位文字，不是法律意见。在读者依靠任何页面之前，请让熟悉当地法律的人先检查。

                ## 现在就需要帮助

                - **同伴支持热线（虚构）：**请拨 555-0100。
                - 更多联系方式见[获取帮助](help/index.md)。

                ## 阅读时保护自己

                [安全使用本网站](safety.md)介绍“快速离开”按钮，以及如何更隐私地阅读。
                """),
        safety: Page(
            title: "安全使用本网站",
            description: "“快速离开”按钮能做什么，以及如何更隐私地阅读本网站。",
            body: """
                可能有人会查看你的手机或浏览记录。请保留本页，并根据你们读者的情况修改。

                ## “快速离开”按钮

                每个页面顶部都有 **快速离开** 按钮，点击后会马上打开一个普通网站。在电脑上连按三次 **Shift** 键也一样。

                ## 这个按钮做不到的事

                - 它不会删除浏览记录。请自己删除，或使用隐私窗口。
                - 如果有人控制你的手机或网络，它无法对那个人隐藏任何东西。

                ## 更隐私地阅读

                - 使用隐私或无痕窗口，看完后关闭。
                - 如果有人会检查你的手机，不要把本网站加入书签。
                """),
        section: Page(
            title: "获取帮助",
            description: "可以联系谁，以及如何加入你们自己的联系方式。",
            body: """
                栏目是 `content/zh-hans/` 下的一个文件夹，里面有一个像本页这样的 `index.md`。文件夹里的页面会列在下面。

                请把这段文字换成读者在联系任何人之前应该知道的事。
                """),
        contacts: Page(
            title: "联系方式",
            description: "需要换成你们自己联系方式的占位内容。",
            body: """
                请把这些占位联系方式换成真实的，并经常核对。下面的号码都是虚构的。

                - **同伴支持热线：**555-0100，每天晚上。
                - **法律诊所（占位）：**555-0101。真正的法律问题需要真正的律师或法律工作者。
                - **健康热线（占位）：**555-0102。

                如果要把本页打印成小册子，请在页首信息中加上 `pamphlet: true`。
                """),
        search: Page(
            title: "搜索",
            description: "用页面里的词查找本网站的页面。",
            body: """
                输入页面里的一个词来查找。你输入的内容只留在你的设备上，不会发送到任何地方。
                """))

    static let traditionalChinese = StarterText(
        name: "繁體中文",
        siteTitle: "示例互助網絡",
        home: Page(
            title: "歡迎",
            description: "這個網站是做甚麼的，由誰編寫。",
            body: """
                這是新網站的首頁。請把這段文字換成幾句關於你們團體的介紹：你們是誰，網站為誰而寫，讀者可以在這裡找到甚麼。

                > **請注意：**這裡是一個虛構機構的佔位文字，不是法律意見。在讀者依靠任何頁面之前，請讓熟悉當地法律的人先檢查。

                ## 現在就需要幫助

                - **同伴支援熱線（虛構）：**請撥 555-0100。
                - 更多聯絡方式見[取得幫助](help/index.md)。

                ## 閱讀時保護自己

                [安全使用本網站](safety.md)介紹「快速離開」按鈕，以及如何更私密地閱讀。
                """),
        safety: Page(
            title: "安全使用本網站",
            description: "「快速離開」按鈕能做甚麼，以及如何更私密地閱讀本網站。",
            body: """
                可能有人會查看你的手機或瀏覽紀錄。請保留本頁，並按你們讀者的情況修改。

                ## 「快速離開」按鈕

                每個頁面頂部都有 **快速離開** 按鈕，點擊後會馬上打開一個普通網站。在電腦上連按三次 **Shift** 鍵也一樣。

                ## 這個按鈕做不到的事

                - 它不會刪除瀏覽紀錄。請自己刪除，或使用私密視窗。
                - 如果有人控制你的手機或網絡，它無法對那個人隱藏任何東西。

                ## 更私密地閱讀

                - 使用私密或無痕視窗，看完後關閉。
                - 如果有人會檢查你的手機，不要把本網站加入書籤。
                """),
        section: Page(
            title: "取得幫助",
            description: "可以聯絡誰，以及如何加入你們自己的聯絡方式。",
            body: """
                欄目是 `content/zh-hant/` 下的一個資料夾，裡面有一個像本頁這樣的 `index.md`。資料夾裡的頁面會列在下面。

                請把這段文字換成讀者在聯絡任何人之前應該知道的事。
                """),
        contacts: Page(
            title: "聯絡方式",
            description: "需要換成你們自己聯絡方式的佔位內容。",
            body: """
                請把這些佔位聯絡方式換成真實的，並經常核對。下面的號碼都是虛構的。

                - **同伴支援熱線：**555-0100，每天晚上。
                - **法律診所（佔位）：**555-0101。真正的法律問題需要真正的律師或法律工作者。
                - **健康熱線（佔位）：**555-0102。

                如果要把本頁印成小冊子，請在頁首資料中加上 `pamphlet: true`。
                """),
        search: Page(
            title: "搜尋",
            description: "用頁面裡的字詞尋找本網站的頁面。",
            body: """
                輸入頁面裡的一個字詞來尋找。你輸入的內容只留在你的裝置上，不會傳送到任何地方。
                """))

    static let korean = StarterText(
        name: "한국어",
        siteTitle: "예시 동료 네트워크",
        home: Page(
            title: "환영합니다",
            description: "이 사이트가 무엇을 위한 곳이고 누가 쓰는지.",
            body: """
                새 사이트의 첫 페이지예요. 이 글을 여러분 단체에 대한 몇 문장으로 바꿔 주세요. 여러분이 누구인지, 이 사이트가 누구를 위한 것인지, 독자가 여기서 무엇을 찾을 수 있는지요.

                > **알려 드려요:** 이 글은 가상의 단체를 위한 자리 표시 글이에요. 법률 조언이 아니에요. 독자가 어떤 페이지에 기대기 전에, 여러분이 활동하는 곳의 법을 아는 사람에게 모든 페이지를 확인받으세요.

                ## 지금 도움이 필요하다면

                - **동료 상담 전화(가상):** 555-0100으로 전화하세요.
                - 다른 연락처는 [도움 받기](help/index.md)에 있어요.

                ## 안전하게 읽기

                [이 사이트 안전하게 쓰기](safety.md)에서 '빨리 나가기' 버튼과 더 사적으로 읽는 방법을 알려 드려요.
                """),
        safety: Page(
            title: "이 사이트 안전하게 쓰기",
            description: "'빨리 나가기' 버튼이 하는 일과, 이 사이트를 더 사적으로 읽는 방법.",
            body: """
                누군가 여러분의 휴대폰이나 방문 기록을 볼 수도 있어요. 이 페이지는 남겨 두고, 독자에 맞게 고쳐 주세요.

                ## '빨리 나가기' 버튼

                모든 페이지 맨 위에 **빨리 나가기** 버튼이 있어요. 누르면 바로 평범한 웹사이트로 넘어가요. 컴퓨터에서는 **Shift** 키를 세 번 눌러도 같아요.

                ## 버튼이 하지 못하는 일

                - 방문 기록을 지우지는 않아요. 직접 지우거나 비공개 창을 쓰세요.
                - 휴대폰이나 인터넷을 관리하는 사람에게서 무언가를 숨길 수는 없어요.

                ## 더 사적으로 읽기

                - 비공개 창이나 시크릿 창을 쓰고, 다 읽으면 닫으세요.
                - 다른 사람이 휴대폰을 확인한다면 이 사이트를 북마크하지 마세요.
                """),
        section: Page(
            title: "도움 받기",
            description: "누구에게 연락할 수 있는지, 그리고 직접 연락처를 더하는 방법.",
            body: """
                섹션은 `content/ko/` 아래의 폴더 하나예요. 이 페이지 같은 `index.md`가 들어 있고, 폴더 안의 페이지들이 아래에 나와요.

                이 글을 독자가 누구에게 연락하기 전에 알아야 할 내용으로 바꿔 주세요.
                """),
        contacts: Page(
            title: "연락처",
            description: "여러분의 연락처로 바꿀 자리 표시 연락처.",
            body: """
                이 자리 표시 연락처를 실제 연락처로 바꾸고 자주 확인하세요. 아래 번호는 모두 가상이에요.

                - **동료 상담 전화:** 555-0100, 매일 저녁.
                - **법률 상담소(자리 표시):** 555-0101. 실제 법률 문제는 실제 변호사나 법률 활동가에게 물어보세요.
                - **건강 상담 전화(자리 표시):** 555-0102.

                이 페이지를 팸플릿으로 인쇄하려면 머리말에 `pamphlet: true`를 더하세요.
                """),
        search: Page(
            title: "검색",
            description: "페이지 안의 단어로 이 사이트의 페이지를 찾아요.",
            body: """
                페이지 안의 단어로 찾아보세요. 입력한 내용은 여러분의 기기에만 남고, 어디로도 보내지지 않아요.
                """))

    static let thai = StarterText(
        name: "ไทย",
        siteTitle: "เครือข่ายเพื่อนตัวอย่าง",
        home: Page(
            title: "ยินดีต้อนรับ",
            description: "เว็บนี้มีไว้เพื่ออะไร และใครเป็นคนเขียน",
            body: """
                นี่คือหน้าแรกของเว็บใหม่ของคุณ ให้เปลี่ยนข้อความนี้เป็นไม่กี่ประโยคเกี่ยวกับกลุ่มของคุณ ว่าคุณเป็นใคร เว็บนี้เขียนให้ใคร และผู้อ่านจะหาอะไรได้ที่นี่

                > **โปรดทราบ:** นี่เป็นข้อความตัวอย่างขององค์กรสมมติ ไม่ใช่คำแนะนำทางกฎหมาย ก่อนที่ผู้อ่านจะพึ่งหน้าใด ให้คนที่รู้กฎหมายในที่ที่คุณทำงานตรวจทุกหน้าก่อน

                ## ต้องการความช่วยเหลือตอนนี้

                - **สายด่วนเพื่อนช่วยเพื่อน (สมมติ):** โทร 555-0100
                - ช่องทางติดต่ออื่นอยู่ในหน้า [ขอความช่วยเหลือ](help/index.md)

                ## อ่านอย่างปลอดภัย

                หน้า [ใช้เว็บนี้อย่างปลอดภัย](safety.md) อธิบายปุ่ม "ออกทันที" และวิธีอ่านให้เป็นส่วนตัวมากขึ้น
                """),
        safety: Page(
            title: "ใช้เว็บนี้อย่างปลอดภัย",
            description: "ปุ่มออกทันทีทำอะไรได้ และวิธีอ่านเว็บนี้ให้เป็นส่วนตัวมากขึ้น",
            body: """
                อาจมีคนดูโทรศัพท์หรือประวัติการเข้าเว็บของคุณ ให้เก็บหน้านี้ไว้ และปรับให้เหมาะกับผู้อ่านของคุณ

                ## ปุ่ม "ออกทันที"

                ด้านบนของทุกหน้ามีปุ่ม **ออกทันที** แตะแล้วจะไปที่เว็บทั่วไปทันที บนคอมพิวเตอร์ กดปุ่ม **Shift** สามครั้งก็ได้ผลเหมือนกัน

                ## สิ่งที่ปุ่มทำไม่ได้

                - ปุ่มนี้ไม่ลบประวัติการเข้าเว็บ ให้ลบเอง หรือใช้หน้าต่างส่วนตัว
                - ปุ่มนี้ซ่อนอะไรไม่ได้จากคนที่ควบคุมโทรศัพท์หรืออินเทอร์เน็ตของคุณ

                ## อ่านให้เป็นส่วนตัวมากขึ้น

                - ใช้หน้าต่างส่วนตัวหรือโหมดไม่ระบุตัวตน แล้วปิดเมื่ออ่านเสร็จ
                - อย่าบุ๊กมาร์กเว็บนี้ ถ้ามีคนอื่นตรวจโทรศัพท์ของคุณ
                """),
        section: Page(
            title: "ขอความช่วยเหลือ",
            description: "ติดต่อใครได้บ้าง และวิธีเพิ่มช่องทางติดต่อของคุณเอง",
            body: """
                หมวดคือโฟลเดอร์หนึ่งใต้ `content/th/` ที่มีไฟล์ `index.md` แบบหน้านี้ หน้าต่าง ๆ ในโฟลเดอร์จะแสดงอยู่ด้านล่าง

                ให้เปลี่ยนข้อความนี้เป็นสิ่งที่ผู้อ่านควรรู้ก่อนติดต่อใคร
                """),
        contacts: Page(
            title: "ช่องทางติดต่อ",
            description: "ช่องทางติดต่อตัวอย่างที่ต้องเปลี่ยนเป็นของคุณเอง",
            body: """
                ให้เปลี่ยนช่องทางติดต่อตัวอย่างเหล่านี้เป็นของจริง และตรวจสอบบ่อย ๆ หมายเลขด้านล่างเป็นหมายเลขสมมติ

                - **สายด่วนเพื่อนช่วยเพื่อน:** 555-0100 ทุกเย็น
                - **คลินิกกฎหมาย (ตัวอย่าง):** 555-0101 คำถามทางกฎหมายจริงต้องถามทนายหรือผู้ทำงานด้านกฎหมายตัวจริง
                - **สายด่วนสุขภาพ (ตัวอย่าง):** 555-0102

                ถ้าต้องการพิมพ์หน้านี้เป็นแผ่นพับ ให้เพิ่ม `pamphlet: true` ในส่วนหัวของหน้า
                """),
        search: Page(
            title: "ค้นหา",
            description: "หาหน้าในเว็บนี้ด้วยคำที่อยู่ในหน้านั้น",
            body: """
                พิมพ์คำที่อยู่ในหน้าเพื่อค้นหา สิ่งที่คุณพิมพ์อยู่ในเครื่องของคุณเท่านั้น ไม่ถูกส่งไปที่ไหน
                """))
}
