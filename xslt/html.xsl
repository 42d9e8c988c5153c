<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading edition of one TEI document as an HTML5 page.
  Input: a TEI document. Parameters: see lib/common.xsl (authority, docid, site-url).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/page.xsl"/>
  <xsl:import href="lib/tei-html.xsl"/>
  <xsl:import href="lib/edition.xsl"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI | tei:teiCorpus"/>
  </xsl:template>

  <!-- A corpus on one page: its title, a list of its documents, then each document (its
       title, author, text), the notes and commentary of all at the end. -->
  <xsl:template match="tei:teiCorpus">
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="st:doc-title(.)"/>
      <xsl:with-param name="lang" select="st:doc-lang(.)"/>
      <xsl:with-param name="header">
        <div class="doc-header"><h1><xsl:value-of select="st:doc-title(.)"/></h1></div>
      </xsl:with-param>
      <xsl:with-param name="main-attributes" as="attribute()*">
        <xsl:attribute name="data-pagefind-body" select="''"/>
        <xsl:attribute name="data-pagefind-meta" select="'title:' || st:doc-title(.)"/>
      </xsl:with-param>
      <xsl:with-param name="content" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:teiCorpus" mode="st:page-content">
    <xsl:variable name="docs" select=".//tei:TEI"/>
    <nav class="toc" aria-labelledby="toc-h">
      <h2 id="toc-h">Contents</h2>
      <ol>
        <xsl:for-each select="$docs">
          <li><a href="#{st:docid(.)}"><xsl:value-of select="st:doc-title(.)"/></a></li>
        </xsl:for-each>
      </ol>
    </nav>
    <xsl:for-each select="$docs">
      <article class="text" id="{st:docid(.)}">
        <xsl:if test="st:doc-lang(.) != st:doc-lang(/*)">
          <xsl:attribute name="lang" select="st:doc-lang(.)"/>
        </xsl:if>
        <h2 class="doc-title"><xsl:value-of select="st:doc-title(.)"/></h2>
        <xsl:apply-templates select="tei:text" mode="st:html"/>
      </article>
    </xsl:for-each>
    <xsl:call-template name="st:footnotes"/>
    <xsl:call-template name="st:commentary-list">
      <xsl:with-param name="notes" select="$docs/tei:text//tei:note[@type = 'commentary']"/>
    </xsl:call-template>
    <xsl:call-template name="st:prev-next"/>
  </xsl:template>

  <!-- The site around the page (build passes them; a standalone transform has none). -->
  <xsl:param name="prev-href" as="xs:string" select="''"/>
  <xsl:param name="prev-title" as="xs:string" select="''"/>
  <xsl:param name="next-href" as="xs:string" select="''"/>
  <xsl:param name="next-title" as="xs:string" select="''"/>

  <xsl:template match="tei:TEI">
    <xsl:variable name="id" select="st:docid(.)"/>
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="string-join((st:doc-title(.), $edition-title[. != '']),
          ' · ')"/>
      <xsl:with-param name="lang" select="st:doc-lang(.)"/>
      <xsl:with-param name="header">
        <xsl:apply-templates select="tei:teiHeader" mode="st:doc-header">
          <xsl:with-param name="id" select="$id" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:with-param>
      <xsl:with-param name="main-attributes" as="attribute()*">
        <xsl:attribute name="data-pagefind-body" select="''"/>
        <xsl:attribute name="data-pagefind-meta" select="'title:' || st:doc-title(.)"/>
      </xsl:with-param>
      <xsl:with-param name="content" select="."/>
      <xsl:with-param name="footer">
        <xsl:apply-templates select="tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability"
            mode="st:bibl"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- What the parts around the text need of it (names, entries, notes) is found in one walk
       through it: a play's text is large, and each walk costs as much as a part of its page. -->
  <xsl:template match="tei:TEI" mode="st:page-content">
    <xsl:variable name="found" select="tei:text//(tei:persName | tei:placeName | tei:orgName
        | tei:name | tei:rs | tei:title | tei:note | tei:div | tei:divGen)"/>
    <xsl:variable name="notes" select="$found[self::tei:note]"/>
    <xsl:call-template name="st:reading-controls">
      <xsl:with-param name="names" select="$found[@ref][not(self::tei:note | self::tei:div
          | self::tei:divGen)]"/>
    </xsl:call-template>
    <xsl:call-template name="st:toc">
      <xsl:with-param name="entries" select="$found[self::tei:div][@type = 'entry']
          [ancestor::tei:body[1][parent::tei:text/parent::tei:TEI]]"/>
    </xsl:call-template>
    <article class="text">
      <xsl:apply-templates select="tei:text" mode="st:html"/>
    </article>
    <xsl:call-template name="st:footnotes">
      <xsl:with-param name="notes" select="$notes[not(st:is-marginal(.))]"/>
      <xsl:with-param name="notes-place" select="$found[self::tei:divGen]
          [st:is-notes-place(.)]"/>
    </xsl:call-template>
    <xsl:call-template name="st:commentary-list">
      <xsl:with-param name="notes" select="$notes[@type = 'commentary']"/>
    </xsl:call-template>
    <xsl:call-template name="st:prev-next"/>
  </xsl:template>

  <!-- ===== the document's header: title, source, citation, downloads ===== -->

  <xsl:mode name="st:doc-header" on-no-match="fail"/>

  <!-- Title and author first, the record collapsed: the text starts on the first screen. -->
  <xsl:template match="tei:teiHeader" mode="st:doc-header">
    <xsl:param name="id" as="xs:string" tunnel="yes"/>
    <xsl:variable name="titles" select="tei:fileDesc/tei:titleStmt/tei:title"/>
    <div class="doc-header">
      <xsl:if test="$site and $edition-title != ''">
        <p class="edition-title"><a href="index.html"><xsl:value-of select="$edition-title"/></a></p>
      </xsl:if>
      <h1><xsl:value-of select="st:doc-title(..)"/></h1>
      <xsl:for-each select="$titles[@type = 'sub'][not(. = $edition-title)]">
        <p class="subtitle"><xsl:value-of select="st:plain(.)"/></p>
      </xsl:for-each>
      <xsl:if test="tei:fileDesc/tei:titleStmt/tei:author">
        <p class="author">
          <xsl:value-of select="string-join(tei:fileDesc/tei:titleStmt/tei:author ! st:person-name(.), '; ')"/>
        </p>
      </xsl:if>
      <details class="record">
        <summary><xsl:value-of select="if ($site) then 'Source, citation and downloads'
            else 'Source and citation'"/></summary>
        <h2 class="label">Source</h2>
        <xsl:apply-templates select="tei:fileDesc/tei:sourceDesc" mode="st:bibl"/>
        <xsl:call-template name="st:citation-block">
          <xsl:with-param name="tei" select=".."/>
          <xsl:with-param name="heading" select="'Cite this document'"/>
        </xsl:call-template>
        <xsl:if test="$site">
          <h2 class="label">Downloads</h2>
          <ul class="downloads">
            <li><a href="{$id}.xml" type="application/tei+xml">TEI source (XML)</a></li>
            <li><a href="{$id}.txt" type="text/plain">Plain text</a></li>
          </ul>
        </xsl:if>
      </details>
      <xsl:apply-templates select="../tei:facsimile[.//tei:graphic]" mode="st:facsimile"/>
    </div>
  </xsl:template>

  <!-- A citation: heading, the reference itself (st:citation) and the source's identifier. -->
  <xsl:template name="st:citation-block">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="heading" as="xs:string"/>
    <xsl:param name="part" as="xs:string" select="''"/>
    <xsl:param name="fragment" as="xs:string" select="''"/>
    <xsl:if test="$heading != ''">
      <h2 class="label"><xsl:value-of select="$heading"/></h2>
    </xsl:if>
    <p class="citation">
      <xsl:value-of select="st:citation($tei, st:docid($tei), $part, $fragment)"/>
      <xsl:text> </xsl:text>
      <span class="accessed" data-accessed="">Accessed: give the date you read it.</span>
    </p>
    <xsl:variable name="pid" select="st:persistent-id($tei)"/>
    <xsl:if test="exists($pid)">
      <p class="pid">
        <xsl:text>Persistent identifier of the source: </xsl:text>
        <xsl:variable name="href" select="st:href(normalize-space($pid))[matches(., '^https?://')]"/>
        <xsl:choose>
          <xsl:when test="exists($href)"><a href="{$href}"><xsl:value-of select="$href"/></a></xsl:when>
          <xsl:otherwise><xsl:value-of select="normalize-space($pid)"/></xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- 'Author, “Title”, Part, ed. Editors, in Edition, Publisher, Year, <url>.' -->
  <xsl:function name="st:citation" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="part" as="xs:string"/>
    <xsl:param name="fragment" as="xs:string"/>
    <xsl:variable name="file" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:variable name="pub" select="$file/tei:publicationStmt"/>
    <xsl:variable name="doc-editors" select="string-join($file/tei:titleStmt/tei:editor ! st:plain(.),
        ', ')"/>
    <xsl:variable name="eds" select="if ($editors != '') then $editors else $doc-editors"/>
    <xsl:variable name="parts" as="xs:string*" select="(
        string-join($file/tei:titleStmt/tei:author ! st:person-name(.), '; '),
        '“' || st:doc-title($tei) || '”',
        $part,
        $eds[. != ''] ! ('ed. ' || .),
        $edition-title[. != ''] ! ('in ' || .),
        ($pub/tei:publisher, $pub/tei:authority, $pub/tei:distributor)[1] ! st:plain(.),
        string(($pub/tei:date/@when, $pub/tei:date)[1]) ! substring(., 1, 4),
        $site-url[. != ''] ! (. || $id || '.html' || $fragment[. != ''] ! ('#' || .)))"/>
    <xsl:sequence select="string-join($parts[normalize-space()], ', ') || '.'"/>
  </xsl:function>

  <!-- The source's persistent identifier: the publication's or the source's DOI, handle, URN
       or URI. -->
  <xsl:function name="st:persistent-id" as="element(tei:idno)?">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:variable name="file" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:sequence select="($file/tei:publicationStmt/tei:idno, $file/tei:sourceDesc//tei:idno)
        [lower-case(@type) = ('doi', 'handle', 'hdl', 'urn', 'uri', 'url', 'pid', 'ark')][1]"/>
  </xsl:function>

  <!-- ===== reading controls, table of contents, previous and next, notes ===== -->

  <!-- The plain-reading switch (shown by edition.js, which it needs) and the key to how the
       kinds of names are marked. -->
  <xsl:template name="st:reading-controls">
    <xsl:param name="names" as="element()*" select="tei:text//(tei:persName | tei:placeName
        | tei:orgName | tei:name | tei:rs | tei:title)[@ref]"/>
    <xsl:if test="$site and (some $name in $names satisfies st:linked($name))">
      <div class="reading-controls" data-pagefind-ignore="all">
        <button type="button" class="plain-switch" aria-pressed="false" hidden="hidden">Plain
          reading</button>
        <p class="legend">Names link to the indexes: <span class="key person">persons</span>,
          <span class="key place">places</span>, <span class="key org">organisations</span>,
          <span class="key work">works</span>.</p>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template name="st:toc">
    <xsl:param name="entries" as="element(tei:div)*"
        select="tei:text/tei:body//tei:div[@type = 'entry']"/>
    <xsl:variable name="divs" select="if ($entries) then $entries
        else tei:text/tei:body/tei:div[tei:head]"/>
    <xsl:if test="count($divs) ge 2">
      <details class="toc" data-pagefind-ignore="all">
        <summary><xsl:value-of select="'Contents (' || count($divs)
            || (if ($entries) then ' entries)' else ' sections)')"/></summary>
        <nav aria-label="Contents">
          <ol>
            <xsl:apply-templates select="$divs" mode="st:toc"/>
          </ol>
        </nav>
      </details>
    </xsl:if>
  </xsl:template>

  <xsl:template name="st:prev-next">
    <xsl:if test="$prev-href != '' or $next-href != ''">
      <nav class="prev-next" aria-label="Previous and next document" data-pagefind-ignore="all">
        <xsl:if test="$prev-href != ''">
          <a rel="prev" href="{$prev-href}"><span class="dir">Previous: </span>
            <xsl:value-of select="$prev-title"/></a>
        </xsl:if>
        <xsl:if test="$next-href != ''">
          <a rel="next" href="{$next-href}"><span class="dir">Next: </span>
            <xsl:value-of select="$next-title"/></a>
        </xsl:if>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- The notes at the end, unless the text says where they go (divGen, see lib/tei-html.xsl). -->
  <xsl:template name="st:footnotes">
    <!-- a document's text, or each text of a corpus (not a walk through the headers) -->
    <xsl:param name="notes" as="element(tei:note)*" select="st:listed-notes(
        if (self::tei:teiCorpus) then .//tei:TEI/tei:text else tei:text)"/>
    <xsl:param name="notes-place" as="element(tei:divGen)*" select="(if (self::tei:teiCorpus)
        then .//tei:TEI/tei:text else tei:text)//tei:divGen[st:is-notes-place(.)]"/>
    <xsl:variable name="listed" select="$notes[not(@type = 'commentary')]"/>
    <xsl:if test="$listed and empty($notes-place)">
      <aside class="notes" aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        <xsl:call-template name="st:note-list">
          <xsl:with-param name="notes" select="$listed"/>
        </xsl:call-template>
      </aside>
    </xsl:if>
  </xsl:template>

  <!-- ===== facsimile ===== -->

  <xsl:mode name="st:facsimile" on-no-match="fail"/>

  <xsl:template match="tei:facsimile" mode="st:facsimile">
    <xsl:variable name="graphics" select=".//tei:graphic"/>
    <details class="facsimile">
      <summary><xsl:value-of select="'Facsimile (' || count($graphics)
          || (if (count($graphics) = 1) then ' image)' else ' images)')"/></summary>
      <ol class="facsimile">
        <xsl:apply-templates select="$graphics" mode="st:facsimile"/>
      </ol>
    </details>
  </xsl:template>

  <!-- An image a browser shows: local (copied by build) or https; anything else is a link,
       or inert text when it is not a safe URL. -->
  <xsl:template match="tei:graphic" mode="st:facsimile">
    <xsl:variable name="url" select="normalize-space(@url)"/>
    <xsl:variable name="n" select="(ancestor-or-self::*/@n)[last()]"/>
    <xsl:variable name="text" select="if ($n) then 'Page ' || $n else 'Image ' || position()"/>
    <xsl:variable name="src" select="st:image-src($url, st:docid(.))"/>
    <li id="{st:facs-id(.)}">
      <xsl:choose>
        <xsl:when test="exists($src) and matches($url, '\.(png|jpe?g|gif|webp|avif|svg)$', 'i')">
          <figure>
            <a href="{$src}"><img src="{$src}" loading="lazy"
                alt="{$text} of the source (facsimile)"/></a>
            <figcaption><xsl:value-of select="$text"/></figcaption>
          </figure>
        </xsl:when>
        <xsl:when test="exists($src)">
          <a href="{$src}"><xsl:value-of select="$text || ' (' || st:file-kind($url) || ')'"/></a>
        </xsl:when>
        <xsl:otherwise>
          <span class="unavailable"><xsl:value-of select="$text || ': ' || $url
              || ' (not published)'"/></span>
        </xsl:otherwise>
      </xsl:choose>
    </li>
  </xsl:template>

  <!-- The id of a facsimile image in the page: its surface's, its own, or its number. -->
  <xsl:function name="st:facs-id" as="xs:string">
    <xsl:param name="graphic" as="element(tei:graphic)"/>
    <xsl:sequence select="string(($graphic/parent::tei:surface/@xml:id, $graphic/@xml:id,
        'facs-' || count($graphic/preceding::tei:graphic[ancestor::tei:facsimile]) + 1)[1])"/>
  </xsl:function>

  <!-- A page break whose @facs points into the facsimile links to that image. -->
  <xsl:template match="tei:pb[starts-with(normalize-space(@facs), '#')]" mode="st:html">
    <xsl:variable name="target" select="key('st:id', substring(normalize-space(@facs), 2))[1]"/>
    <xsl:variable name="graphic" select="$target/descendant-or-self::tei:graphic
        [ancestor::tei:facsimile][1]"/>
    <xsl:next-match/>
    <xsl:if test="$graphic">
      <a class="facs-link" href="#{st:facs-id($graphic)}"
          aria-label="{'Facsimile' || @n ! (' of page ' || normalize-space(.))}">[facsimile]</a>
    </xsl:if>
  </xsl:template>

  <xsl:function name="st:file-kind" as="xs:string">
    <xsl:param name="url" as="xs:string"/>
    <xsl:variable name="ext" select="upper-case(replace($url, '^.*\.([A-Za-z0-9]{1,5})$', '$1'))"/>
    <xsl:sequence select="if ($ext != upper-case($url)) then $ext || ' image' else 'image'"/>
  </xsl:function>

  <!-- ===== diary entries: a citation each, headings told apart ===== -->

  <!-- Entries and their headings met in mode st:flow (lib/html-base.xsl) go on in st:html,
       where the templates below, and those they extend with xsl:next-match, are. -->
  <xsl:template match="tei:div[@type = ('entry', 'diary-day')]
      | tei:div[@type = ('entry', 'diary-day')]/tei:head[1]" mode="st:flow">
    <xsl:apply-templates select="." mode="st:html"/>
  </xsl:template>

  <xsl:template match="tei:div[@type = ('entry', 'diary-day')]" mode="st:html">
    <xsl:variable name="entries" select="ancestor::tei:text[last()]//tei:div[@type = ('entry',
        'diary-day')]"/>
    <xsl:choose>
      <!-- an entry alone needs no citation of its own: written straight, not copied -->
      <xsl:when test="count($entries) lt 2"><xsl:next-match/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="out" as="node()*"><xsl:next-match/></xsl:variable>
        <xsl:variable name="tei" select="ancestor::tei:TEI[1]"/>
        <xsl:variable name="label" select="st:entry-label(.)"/>
        <xsl:for-each select="$out">
          <xsl:copy>
            <xsl:sequence select="@*, node()"/>
            <details class="cite-entry" data-pagefind-ignore="all">
              <summary>Cite this entry</summary>
              <xsl:call-template name="st:citation-block">
                <xsl:with-param name="tei" select="$tei"/>
                <xsl:with-param name="heading" select="''"/>
                <xsl:with-param name="part" select="'entry “' || $label || '”'"/>
                <xsl:with-param name="fragment" select="string(@id)"/>
              </xsl:call-template>
            </details>
          </xsl:copy>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An entry's heading that another entry shares gets the entry's date. -->
  <xsl:template match="tei:div[@type = ('entry', 'diary-day')]/tei:head[1]
      [st:plain(.) = (../preceding-sibling::tei:div | ../following-sibling::tei:div)
          [@type = ('entry', 'diary-day')]/tei:head[1] ! st:plain(.)]" mode="st:html">
    <xsl:variable name="out" as="node()*"><xsl:next-match/></xsl:variable>
    <xsl:variable name="date" select="st:plain(../tei:dateline[1])"/>
    <xsl:for-each select="$out">
      <xsl:copy>
        <xsl:sequence select="@*, node()"/>
        <xsl:if test="$date != ''">
          <span class="head-date"><xsl:value-of select="' (' || replace($date, '[.,;:\s]+$', '')
              || ')'"/></span>
        </xsl:if>
      </xsl:copy>
    </xsl:for-each>
  </xsl:template>

  <!-- 'André Gide, May 8 and 18, 1937, Paris' -->
  <xsl:function name="st:entry-label" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:variable name="parts" select="($div/tei:head[1], $div/tei:dateline[1]) ! st:plain(.)"/>
    <xsl:sequence select="replace(string-join($parts[. != ''], ', '), '[.,;:\s]+$', '')"/>
  </xsl:function>

  <xsl:template match="tei:publicationStmt/tei:availability" mode="st:bibl">
    <div class="licence"><xsl:apply-templates select="*" mode="st:bibl-inline"/></div>
  </xsl:template>

</xsl:stylesheet>
